//! First-start initialisation and the demo data set: deterministic, fictional, realistic.
//!
//! The city (云州市) and its division codes are fictional. Every credit code carries a valid
//! check character, so the demo exercises the same parsers as real data.

use crate::auth::{create_account, NewAccount};
use crate::clock::from_unix;
use crate::state::AppState;
use crate::store::{NewAgency, Organization};
use market_domain::fee::{BracketDraft, FeeStandardDraft, PricingModelDraft};
use market_domain::listing::{ListingDraft, QualificationDraft, VersionStatus};
use market_domain::{
    CalendarDate, CreditCode, District, Locale, Password, Role, ServiceType, Username,
};
use std::collections::HashSet;
use time::OffsetDateTime;

mod agencies;
mod complaints;
pub(crate) use agencies::synthetic_agency;

/// Number of approved agencies besides the demo agency account's own.
pub const DEMO_AGENCY_COUNT: usize = 64;

/// Demo accounts, one per role; the README lists them.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 4] = [
    (
        "demo_enterprise",
        "Qiye@2026demo",
        Role::Enterprise,
        "云州市城市建设投资集团有限公司",
    ),
    (
        "demo_agency",
        "Zhongjie@2026demo",
        Role::Agency,
        "云州绿源环境科技有限公司",
    ),
    (
        "demo_regulator",
        "Jianguan@2026demo",
        Role::Regulator,
        "云州市发展和改革委员会",
    ),
    (
        "demo_officer",
        "Shenpi@2026demo",
        Role::ApprovalOfficer,
        "云州市政务服务和数据管理局",
    ),
];

/// More agency logins, so a demo (or an end-to-end test) can bid from three agencies on one
/// environmental-impact job. They share the demo agency's password.
pub const DEMO_EXTRA_AGENCIES: [(&str, &str); 2] = [
    ("demo_agency2", "云州博远环境工程咨询有限公司"),
    ("demo_agency3", "云州清源环保技术有限公司"),
];

/// 2025-06-01T01:00:00Z: the demo's fixed "registration day", so the data never depends on
/// when it was seeded.
const SEED_EPOCH: i64 = 1_748_739_600;

/// On the first start: seed the demo data if asked, and remember that the database is set up,
/// so that no later start seeds again.
pub async fn initialise(state: &AppState) -> Result<(), String> {
    let store = state.store.as_ref();
    // The approval-item catalogue is needed with or without demo data; existing items are kept.
    store
        .seed_approval_items(market_domain::approval::default_catalogue())
        .await
        .map_err(|e| e.to_string())?;
    if store.is_initialised().await.map_err(|e| e.to_string())? {
        return Ok(());
    }
    if state.config.demo {
        seed_demo(state).await?;
        tracing::info!(agencies = DEMO_AGENCY_COUNT + 1, "seeded demo data");
    }
    store
        .mark_initialised(state.clock.now(), state.config.demo)
        .await
        .map_err(|e| e.to_string())
}

async fn seed_demo(state: &AppState) -> Result<(), String> {
    let at = from_unix(SEED_EPOCH);
    let demo = DemoData::generate();
    state
        .store
        .create_agencies(demo.agencies.clone(), at)
        .await
        .map_err(|e| e.to_string())?;
    let mut enterprise = None;
    for (username, password, role, organization) in DEMO_ACCOUNTS {
        let credit_code = demo.account_credit_codes[role as usize].clone();
        let agency = (role == Role::Agency).then(|| demo.own_agency.clone());
        let account = NewAccount {
            role,
            username: Username::parse(username).map_err(|e| e.to_string())?,
            password: Password::parse(password).map_err(|e| e.to_string())?,
            organization: Organization {
                name: organization.to_owned(),
                credit_code: Some(credit_code),
                contact_person: Some(
                    match role {
                        Role::Regulator => "赵敏",
                        Role::ApprovalOfficer => "李娜",
                        _ => "王建国",
                    }
                    .into(),
                ),
                phone: Some("0870-6123456".into()),
                email: Some(format!("{username}@yunzhou.gov.example.cn")),
            },
            agency,
        };
        let id = create_account(state.store.as_ref(), account, at)
            .await
            .map_err(|e| format!("{e}"))?;
        if role == Role::Enterprise {
            enterprise = Some(id);
        }
    }
    // Agencies were inserted first, in order, so the n-th generated agency has id n + 1.
    let offering = |service: ServiceType| {
        demo.agencies
            .iter()
            .enumerate()
            .filter(|(_, a)| a.profile.service_types.contains(&service))
            .map(|(i, _)| i as i64 + 1)
            .collect::<Vec<_>>()
    };
    let enterprise = enterprise.ok_or("no demo enterprise")?;
    crate::seed_jobs::seed_jobs(
        state.store.as_ref(),
        enterprise,
        offering,
        state.clock.now(),
    )
    .await?;
    crate::seed_cases::seed_cases(state.store.as_ref(), enterprise).await?;
    let fee_target = offering(ServiceType::EnvironmentalImpact)
        .get(1)
        .copied()
        .unwrap_or(2);
    let quality_target = offering(ServiceType::Surveying)
        .first()
        .copied()
        .unwrap_or(3);
    complaints::seed_complaints(
        state.store.as_ref(),
        enterprise,
        [fee_target, quality_target],
    )
    .await?;
    state
        .store
        .create_agencies(demo.pending, at)
        .await
        .map_err(|e| e.to_string())?;
    for ((username, organization), agency) in DEMO_EXTRA_AGENCIES.iter().zip(demo.extra_agencies) {
        let account = NewAccount {
            role: Role::Agency,
            username: Username::parse(username).map_err(|e| e.to_string())?,
            password: Password::parse(DEMO_ACCOUNTS[1].1).map_err(|e| e.to_string())?,
            organization: Organization {
                name: (*organization).to_owned(),
                credit_code: Some(agency.profile.credit_code.clone()),
                contact_person: Some(agency.profile.contact_person.clone()),
                phone: Some(agency.profile.phone.clone()),
                email: Some(format!("{username}@yunzhou.gov.example.cn")),
            },
            agency: Some(agency),
        };
        create_account(state.store.as_ref(), account, at)
            .await
            .map_err(|e| format!("{e}"))?;
    }
    Ok(())
}

/// SplitMix64: tiny, deterministic, and good enough to vary demo data.
pub(crate) struct DemoRng(pub(crate) u64);

impl DemoRng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub struct DemoData {
    pub agencies: Vec<NewAgency>,
    /// The demo agency account's own agency, approved.
    pub own_agency: NewAgency,
    /// Self-registered agencies still waiting for review; not public.
    pub pending: Vec<NewAgency>,
    /// Credit codes of the demo accounts, by `Role as usize`.
    pub account_credit_codes: Vec<String>,
    /// The agencies of [`DEMO_EXTRA_AGENCIES`], approved.
    pub extra_agencies: Vec<NewAgency>,
}

/// The instant seeded records claim to have been created; exposed for tests.
pub fn seed_epoch() -> OffsetDateTime {
    from_unix(SEED_EPOCH)
}

/// Two complaints by the demo enterprise: one decided and published, one whose respondent let
/// the answer deadline pass, so the regulator's console has something overdue.
#[cfg(test)]
mod tests {
    use super::*;
    use market_domain::{Email, Phone};

    #[test]
    fn the_demo_data_is_the_same_every_time() {
        let (a, b) = (DemoData::generate(), DemoData::generate());
        let names = |d: &DemoData| {
            d.agencies
                .iter()
                .map(|a| a.profile.name.clone())
                .collect::<Vec<_>>()
        };
        let codes = |d: &DemoData| {
            d.agencies
                .iter()
                .map(|a| a.profile.credit_code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&a), names(&b));
        assert_eq!(codes(&a), codes(&b));
    }

    #[test]
    fn every_demo_identifier_passes_the_domain_parsers() {
        let demo = DemoData::generate();
        for agency in demo
            .agencies
            .iter()
            .chain(&demo.pending)
            .chain(&demo.extra_agencies)
            .chain([&demo.own_agency])
        {
            assert!(
                CreditCode::parse(&agency.profile.credit_code).is_ok(),
                "{}",
                agency.profile.credit_code
            );
            assert!(
                Phone::parse(&agency.profile.phone).is_ok(),
                "{}",
                agency.profile.phone
            );
            assert!(
                Email::parse(&agency.profile.email).is_ok(),
                "{}",
                agency.profile.email
            );
            for q in &agency.profile.qualifications {
                assert!(q.expires_on > q.issued_on);
            }
        }
        for code in &demo.account_credit_codes {
            assert!(CreditCode::parse(code).is_ok());
        }
    }

    #[test]
    fn demo_agencies_cover_every_service_type_and_district() {
        let demo = DemoData::generate();
        assert!(demo.agencies.len() >= 60);
        for service in ServiceType::ALL {
            assert!(
                demo.agencies
                    .iter()
                    .any(|a| a.profile.service_types.contains(service)),
                "{service:?}"
            );
        }
        for district in District::ALL {
            assert!(
                demo.agencies
                    .iter()
                    .any(|a| a.profile.district == *district),
                "{district:?}"
            );
        }
    }

    #[test]
    fn demo_passwords_satisfy_the_password_rule() {
        for (username, password, _, _) in DEMO_ACCOUNTS {
            assert!(Username::parse(username).is_ok());
            assert!(Password::parse(password).is_ok());
        }
    }
}
