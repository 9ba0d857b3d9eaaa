//! The listing editor's model: editable rows for qualifications and fee standards, and the
//! draft they make.

use super::*;

#[derive(Clone, Copy)]
pub(super) struct QualificationRow {
    pub(super) key: u64,
    pub(super) name: RwSignal<String>,
    pub(super) number: RwSignal<String>,
    pub(super) level: RwSignal<String>,
    pub(super) authority: RwSignal<String>,
    pub(super) issued_on: RwSignal<String>,
    pub(super) expires_on: RwSignal<String>,
    pub(super) service_types: RwSignal<Vec<String>>,
}

impl QualificationRow {
    pub(super) fn from(q: &QualificationDraft) -> Self {
        QualificationRow {
            key: next_key(),
            name: text(&q.name),
            number: text(&q.number),
            level: text(&q.level),
            authority: text(&q.authority),
            issued_on: text(&q.issued_on),
            expires_on: text(&q.expires_on),
            service_types: RwSignal::new(q.service_types.clone()),
        }
    }

    pub(super) fn draft(&self) -> QualificationDraft {
        QualificationDraft {
            name: self.name.get_untracked(),
            number: self.number.get_untracked(),
            level: self.level.get_untracked(),
            authority: self.authority.get_untracked(),
            issued_on: self.issued_on.get_untracked(),
            expires_on: self.expires_on.get_untracked(),
            service_types: self.service_types.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct BracketRow {
    pub(super) key: u64,
    pub(super) up_to_wan: RwSignal<String>,
    pub(super) rate_percent: RwSignal<String>,
}

#[derive(Clone, Copy)]
pub(super) struct FeeRow {
    pub(super) key: u64,
    pub(super) service_type: RwSignal<String>,
    pub(super) basis: RwSignal<String>,
    pub(super) kind: RwSignal<String>,
    pub(super) price: RwSignal<String>,
    pub(super) minimum: RwSignal<String>,
    pub(super) unit: RwSignal<String>,
    pub(super) unit_price: RwSignal<String>,
    pub(super) brackets: RwSignal<Vec<BracketRow>>,
    pub(super) discount_percent: RwSignal<String>,
    pub(super) effective_from: RwSignal<String>,
}

impl FeeRow {
    pub(super) fn from(f: &FeeStandardDraft) -> Self {
        let row = FeeRow {
            key: next_key(),
            service_type: text(&f.service_type),
            basis: text(&f.basis),
            kind: text("fixed"),
            price: text(""),
            minimum: text("0"),
            unit: text(""),
            unit_price: text(""),
            brackets: RwSignal::new(Vec::new()),
            discount_percent: text(
                format_rate((f.max_discount_bp.max(0) as u32) * 100)
                    .trim_end_matches('%')
                    .to_owned(),
            ),
            effective_from: text(&f.effective_from),
        };
        match &f.model {
            PricingModelDraft::Fixed { price } => row.price.set(yuan_text(*price)),
            PricingModelDraft::InvestmentTiered { brackets, minimum } => {
                row.kind.set("investment_tiered".into());
                row.minimum.set(yuan_text(*minimum));
                row.brackets.set(
                    brackets
                        .iter()
                        .map(|b| BracketRow {
                            key: next_key(),
                            up_to_wan: text(b.up_to.map(wan_text).unwrap_or_default()),
                            rate_percent: text(
                                format_rate(b.rate_ppm.max(0) as u32)
                                    .trim_end_matches('%')
                                    .to_owned(),
                            ),
                        })
                        .collect(),
                );
            }
            PricingModelDraft::PerUnit {
                unit,
                unit_price,
                minimum,
            } => {
                row.kind.set("per_unit".into());
                row.unit.set(unit.clone());
                row.unit_price.set(yuan_text(*unit_price));
                row.minimum.set(yuan_text(*minimum));
            }
        }
        row
    }

    pub(super) fn blank(service_type: &str) -> Self {
        FeeRow::from(&FeeStandardDraft {
            service_type: service_type.to_owned(),
            basis: PricingBasis::MarketRegulated.code().to_owned(),
            model: PricingModelDraft::Fixed { price: 0 },
            max_discount_bp: 0,
            effective_from: String::new(),
        })
    }

    /// The draft, plus errors for text that is not even a number.
    pub(super) fn draft(&self, index: usize, errors: &mut Vec<FieldError>) -> FeeStandardDraft {
        let at = |f: &str| format!("fee_standards[{index}].{f}");
        let mut yuan = |value: RwSignal<String>, field: &str| match Money::parse_yuan(
            &value.get_untracked(),
        ) {
            Ok(m) => m.fen(),
            Err(e) => {
                errors.push(FieldError::new(&at(field), &e));
                0
            }
        };
        let model = match self.kind.get_untracked().as_str() {
            "investment_tiered" => {
                let minimum = yuan(self.minimum, "model.minimum");
                let brackets = self
                    .brackets
                    .get_untracked()
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let bound = b.up_to_wan.get_untracked();
                        let up_to = if bound.trim().is_empty() {
                            None
                        } else {
                            match Money::parse_yuan(&bound) {
                                Ok(m) => Some(m.fen() * 10_000),
                                Err(e) => {
                                    errors.push(FieldError::new(
                                        &at(&format!("model.brackets[{i}].up_to")),
                                        &e,
                                    ));
                                    Some(0)
                                }
                            }
                        };
                        let rate_ppm = match parse_percent(&b.rate_percent.get_untracked()) {
                            Some(ppm) => ppm as i64,
                            None => {
                                errors.push(FieldError::new(
                                    &at(&format!("model.brackets[{i}].rate_ppm")),
                                    &FeeRuleError::RateOutOfRange,
                                ));
                                1
                            }
                        };
                        BracketDraft { up_to, rate_ppm }
                    })
                    .collect();
                PricingModelDraft::InvestmentTiered { brackets, minimum }
            }
            "per_unit" => PricingModelDraft::PerUnit {
                unit: self.unit.get_untracked(),
                unit_price: yuan(self.unit_price, "model.unit_price"),
                minimum: yuan(self.minimum, "model.minimum"),
            },
            _ => PricingModelDraft::Fixed {
                price: yuan(self.price, "model.price"),
            },
        };
        let discount = self.discount_percent.get_untracked();
        let max_discount_bp = if discount.trim().is_empty() {
            0
        } else {
            match parse_percent(&discount) {
                Some(ppm) => (ppm / 100) as i64,
                None => {
                    errors.push(FieldError::new(
                        &at("max_discount_bp"),
                        &FeeRuleError::DiscountOutOfRange,
                    ));
                    0
                }
            }
        };
        FeeStandardDraft {
            service_type: self.service_type.get_untracked(),
            basis: self.basis.get_untracked(),
            model,
            max_discount_bp,
            effective_from: self.effective_from.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
pub(super) struct ListingForm {
    pub(super) name: RwSignal<String>,
    pub(super) credit_code: RwSignal<String>,
    pub(super) legal_representative: RwSignal<String>,
    pub(super) contact_person: RwSignal<String>,
    pub(super) phone: RwSignal<String>,
    pub(super) email: RwSignal<String>,
    pub(super) address: RwSignal<String>,
    pub(super) district: RwSignal<String>,
    pub(super) staff_count: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) service_commitment: RwSignal<String>,
    pub(super) service_types: RwSignal<Vec<String>>,
    pub(super) qualifications: RwSignal<Vec<QualificationRow>>,
    pub(super) fee_standards: RwSignal<Vec<FeeRow>>,
}

impl ListingForm {
    pub(super) fn from(d: &ListingDraft) -> Self {
        ListingForm {
            name: text(&d.name),
            credit_code: text(&d.credit_code),
            legal_representative: text(&d.legal_representative),
            contact_person: text(&d.contact_person),
            phone: text(&d.phone),
            email: text(&d.email),
            address: text(&d.address),
            district: text(&d.district),
            staff_count: filled_text(d.staff_count, |n| n.to_string()),
            description: text(&d.description),
            service_commitment: text(&d.service_commitment),
            service_types: RwSignal::new(d.service_types.clone()),
            qualifications: RwSignal::new(
                d.qualifications
                    .iter()
                    .map(QualificationRow::from)
                    .collect(),
            ),
            fee_standards: RwSignal::new(d.fee_standards.iter().map(FeeRow::from).collect()),
        }
    }

    /// The draft and every error: unreadable numbers first, then the domain's rules.
    pub(super) fn check(&self) -> (ListingDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let fee_standards = self
            .fee_standards
            .get_untracked()
            .iter()
            .enumerate()
            .map(|(i, row)| row.draft(i, &mut errors))
            .collect();
        let draft = ListingDraft {
            name: self.name.get_untracked(),
            credit_code: self.credit_code.get_untracked(),
            legal_representative: self.legal_representative.get_untracked(),
            contact_person: self.contact_person.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            address: self.address.get_untracked(),
            district: self.district.get_untracked(),
            description: self.description.get_untracked(),
            service_types: self.service_types.get_untracked(),
            qualifications: self
                .qualifications
                .get_untracked()
                .iter()
                .map(QualificationRow::draft)
                .collect(),
            staff_count: self.staff_count.get_untracked().trim().parse().unwrap_or(0),
            service_commitment: self.service_commitment.get_untracked(),
            fee_standards,
        };
        if let Err(rule_errors) = draft.parse() {
            for error in rule_errors {
                if !errors.iter().any(|e: &FieldError| e.field == error.field) {
                    errors.push(error);
                }
            }
        }
        (draft, errors)
    }
}
