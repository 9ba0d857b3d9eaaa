//! The field-by-field comparison of two listing versions that the regulator reviews.

use super::*;

/// One row of the field-by-field comparison the regulator reviews.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub key: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Part of a fee standard: highlighted for the fee regulator.
    pub fee: bool,
}

impl FieldChange {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

fn labelled(locale: Locale, zh: &str, en: &str) -> String {
    match locale {
        Locale::ZhCn => zh.to_owned(),
        Locale::En => en.to_owned(),
    }
}

/// The plain fields as `(key, Chinese label, English label)`, in display order.
const FIELDS: [(&str, &str, &str); 12] = [
    ("name", "机构名称", "Name"),
    ("credit_code", "统一社会信用代码", "Credit code"),
    ("legal_representative", "法定代表人", "Legal representative"),
    ("contact_person", "联系人", "Contact person"),
    ("phone", "联系电话", "Phone"),
    ("email", "电子邮箱", "E-mail"),
    ("address", "办公地址", "Address"),
    ("district", "所在区县", "District"),
    ("staff_count", "专业技术人员", "Staff"),
    ("service_types", "服务类型", "Service types"),
    ("description", "机构简介", "Profile"),
    ("service_commitment", "服务承诺", "Service commitment"),
];

/// `(key, label, value, is_fee)` for every comparable part of a draft, in display order.
fn rows(draft: &ListingDraft, locale: Locale) -> Vec<(String, String, String, bool)> {
    let services = |codes: &[String]| {
        codes
            .iter()
            .map(|c| ServiceType::parse(c).map_or(c.clone(), |t| t.name(locale).to_owned()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let district = District::parse(&draft.district)
        .map_or(draft.district.clone(), |d| d.name(locale).to_owned());
    let values = [
        draft.name.clone(),
        draft.credit_code.clone(),
        draft.legal_representative.clone(),
        draft.contact_person.clone(),
        draft.phone.clone(),
        draft.email.clone(),
        draft.address.clone(),
        district,
        draft.staff_count.to_string(),
        services(&draft.service_types),
        draft.description.clone(),
        draft.service_commitment.clone(),
    ];
    let mut out: Vec<_> = FIELDS
        .iter()
        .zip(values)
        .map(|((key, zh, en), value)| ((*key).to_owned(), labelled(locale, zh, en), value, false))
        .collect();
    for q in &draft.qualifications {
        out.push((
            format!("qualification:{}", q.number.trim()),
            format!(
                "{}{}",
                labelled(locale, "资质 ", "Qualification "),
                q.number.trim()
            ),
            format!(
                "{} · {} · {} · {} – {} · {}",
                q.name,
                q.level,
                q.authority,
                q.issued_on,
                q.expires_on,
                services(&q.service_types)
            ),
            false,
        ));
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for f in &draft.fee_standards {
        let n = seen.entry(f.service_type.clone()).or_default();
        *n += 1;
        let service = ServiceType::parse(&f.service_type)
            .map_or(f.service_type.clone(), |t| t.name(locale).to_owned());
        let value = match FeeStandard::parse(f, "") {
            Ok(standard) => {
                let discount = standard.max_discount_bp();
                format!(
                    "{} · {} · {}{}",
                    standard.basis().name(locale),
                    standard.describe(locale),
                    match locale {
                        Locale::ZhCn =>
                            format!("最大下浮 {}.{:02}% · 自 ", discount / 100, discount % 100),
                        Locale::En => format!(
                            "max discount {}.{:02}% · from ",
                            discount / 100,
                            discount % 100
                        ),
                    },
                    standard.effective_from()
                )
            }
            Err(_) => format!("{f:?}"),
        };
        out.push((
            format!("fee:{}:{}", f.service_type, n),
            format!(
                "{}{}",
                labelled(locale, "收费标准 · ", "Fee standard · "),
                service
            ),
            value,
            true,
        ));
    }
    out
}

/// Compares two versions field by field; `before` is `None` for a first submission.
pub fn diff(
    before: Option<&ListingDraft>,
    after: &ListingDraft,
    locale: Locale,
) -> Vec<FieldChange> {
    let old: Vec<_> = before.map(|b| rows(b, locale)).unwrap_or_default();
    let new = rows(after, locale);
    let mut changes: Vec<FieldChange> = new
        .iter()
        .map(|(key, label, value, fee)| FieldChange {
            key: key.clone(),
            label: label.clone(),
            before: old
                .iter()
                .find(|(k, ..)| k == key)
                .map(|(.., v, _)| v.clone()),
            after: Some(value.clone()),
            fee: *fee,
        })
        .collect();
    for (key, label, value, fee) in old {
        if !new.iter().any(|(k, ..)| *k == key) {
            changes.push(FieldChange {
                key,
                label,
                before: Some(value),
                after: None,
                fee,
            });
        }
    }
    changes
}
