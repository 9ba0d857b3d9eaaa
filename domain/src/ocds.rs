//! Open Contracting Data Standard 1.1 releases of jobs, so agencies and the public can follow
//! the market by machine. Chinese job states, methods and services are mapped to the OCDS
//! codelists here; the bid details (bid extension) appear only once bids are opened.

use crate::job::JobState;
use crate::selection::SelectionMethod;
use crate::wire::{BidStatus, BidView, ContractTerms, JobView};
use crate::{Locale, ServiceType};
use serde::{Serialize, Serializer};

/// This platform's OCID prefix (`ocds-` + six characters, as OCDS prefixes are issued).
pub const OCID_PREFIX: &str = "ocds-yz0zjc";
/// The OCDS bid statistics and details extension used for `bids`.
pub const BID_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json";

pub fn ocid(job_id: i64) -> String {
    format!("{OCID_PREFIX}-{job_id}")
}

/// An amount in fen, written as a JSON number of yuan, as OCDS `Value.amount` requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount(pub i64);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The only float in the system: the wire format's number, from exact fen.
        serializer.serialize_f64(self.0 as f64 / 100.0)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Value {
    /// Yuan, from exact fen.
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub amount: Amount,
    pub currency: &'static str,
}

fn yuan(fen: i64) -> Value {
    Value {
        amount: Amount(fen),
        currency: "CNY",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationReference {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub roles: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Period {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Classification {
    pub scheme: &'static str,
    pub id: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    pub id: String,
    pub description: String,
    pub classification: Classification,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Tender {
    pub id: String,
    pub title: String,
    pub description: String,
    pub status: &'static str,
    pub value: Value,
    pub procurement_method: &'static str,
    pub procurement_method_details: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award_criteria: Option<&'static str>,
    pub award_criteria_details: String,
    pub main_procurement_category: &'static str,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tender_period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_tenderers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenderers: Option<Vec<OrganizationReference>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BidDetail {
    pub id: String,
    pub date: String,
    pub status: &'static str,
    pub tenderers: Vec<OrganizationReference>,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bids {
    pub details: Vec<BidDetail>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub value: Value,
    pub suppliers: Vec<OrganizationReference>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    pub id: String,
    #[serde(rename = "awardID")]
    pub award_id: String,
    pub title: String,
    pub status: &'static str,
    pub value: Value,
    pub period: Period,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_signed: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Release {
    pub ocid: String,
    pub id: String,
    pub date: String,
    pub tag: Vec<&'static str>,
    pub initiation_type: &'static str,
    pub language: &'static str,
    pub parties: Vec<Organization>,
    pub buyer: OrganizationReference,
    pub tender: Tender,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bids: Option<Bids>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<Contract>,
}

/// Everything a release is built from; the server gathers it in one read.
#[derive(Clone, Debug)]
pub struct ReleaseSource {
    pub job: JobView,
    pub enterprise_user_id: i64,
    /// All bids; used only once bids are opened.
    pub bids: Vec<BidView>,
    pub contract: Option<ContractTerms>,
    pub contract_signed_at: Option<String>,
    /// The job's last event: it dates the release and numbers it.
    pub last_seq: i64,
    pub last_at: String,
}

fn tender_status(state: JobState) -> &'static str {
    match state {
        JobState::Draft => "planning",
        JobState::Published => "active",
        JobState::Cancelled => "cancelled",
        JobState::Unsuccessful => "unsuccessful",
        JobState::Evaluating | JobState::Publicity => "active",
        _ => "complete",
    }
}

fn tag(state: JobState) -> &'static str {
    match state {
        JobState::Draft => "planning",
        JobState::Published => "tender",
        JobState::Evaluating | JobState::Unsuccessful => "tenderUpdate",
        JobState::Cancelled => "tenderCancellation",
        JobState::Publicity => "award",
        JobState::Contracted => "contract",
        _ => "implementation",
    }
}

/// 选取方式 → OCDS `awardCriteria` (1.1 codelist); a random draw has no code of its own.
fn award_criteria(method: &SelectionMethod) -> Option<&'static str> {
    match method {
        SelectionMethod::LowestPrice => Some("priceOnly"),
        SelectionMethod::CompositeScore { .. } => Some("ratedCriteria"),
        SelectionMethod::DirectPick => Some("bestProposal"),
        SelectionMethod::RandomDraw => None,
    }
}

fn bid_status(status: BidStatus) -> &'static str {
    match status {
        BidStatus::Active => "valid",
        BidStatus::Withdrawn => "withdrawn",
        BidStatus::Voided => "disqualified",
    }
}

fn agency_ref(id: i64, name: &str) -> OrganizationReference {
    OrganizationReference {
        id: format!("agency-{id}"),
        name: name.to_owned(),
    }
}

pub fn release(source: &ReleaseSource) -> Release {
    let job = &source.job;
    let terms = &job.terms;
    let ocid = ocid(job.id);
    let buyer = OrganizationReference {
        id: format!("enterprise-{}", source.enterprise_user_id),
        name: job.enterprise_name.clone(),
    };
    let mut parties = vec![Organization {
        id: buyer.id.clone(),
        name: buyer.name.clone(),
        roles: vec!["buyer", "procuringEntity"],
    }];
    let open = JobState::bids_opened(job.state);
    let opened_bids: Vec<&BidView> = if open {
        source.bids.iter().collect()
    } else {
        Vec::new()
    };
    let winner = job.award.as_ref().map(|a| a.agency_id);
    for bid in &opened_bids {
        if parties
            .iter()
            .any(|p| p.id == format!("agency-{}", bid.agency_id))
        {
            continue;
        }
        let mut roles = vec!["tenderer"];
        if winner == Some(bid.agency_id) {
            roles.push("supplier");
        }
        parties.push(Organization {
            id: format!("agency-{}", bid.agency_id),
            name: bid.agency_name.clone(),
            roles,
        });
    }
    let service = ServiceType::parse(&terms.service_type);
    let item = Item {
        id: "1".into(),
        description: terms.scope.clone(),
        classification: Classification {
            scheme: "x_YZ_INTERMEDIARY_SERVICE",
            id: terms.service_type.clone(),
            description: service
                .map(|s| s.name(Locale::ZhCn).to_owned())
                .unwrap_or_default(),
        },
    };
    let tender = Tender {
        id: format!("{ocid}-tender"),
        title: terms.project_name.clone(),
        description: terms.scope.clone(),
        status: tender_status(job.state),
        value: yuan(terms.budget_ceiling),
        procurement_method: "open",
        procurement_method_details: terms.selection.name(Locale::ZhCn).to_owned(),
        award_criteria: award_criteria(&terms.selection),
        award_criteria_details: terms.selection.name(Locale::ZhCn).to_owned(),
        main_procurement_category: "services",
        items: vec![item],
        tender_period: job.published_at.as_ref().map(|start| Period {
            start_date: Some(start.clone()),
            end_date: job.deadline.clone(),
        }),
        number_of_tenderers: open.then(|| {
            opened_bids
                .iter()
                .filter(|b| b.status == BidStatus::Active)
                .count() as u32
        }),
        tenderers: open.then(|| {
            opened_bids
                .iter()
                .filter(|b| b.status == BidStatus::Active)
                .map(|b| agency_ref(b.agency_id, &b.agency_name))
                .collect()
        }),
    };
    let bids = open.then(|| Bids {
        details: opened_bids
            .iter()
            .map(|b| BidDetail {
                id: format!("{ocid}-bid-{}", b.id),
                date: b.submitted_at.clone(),
                status: bid_status(b.status),
                tenderers: vec![agency_ref(b.agency_id, &b.agency_name)],
                value: yuan(b.price.fen()),
            })
            .collect(),
    });
    let award_id = format!("{ocid}-award");
    let awards: Vec<Award> = job
        .award
        .iter()
        .map(|a| Award {
            id: award_id.clone(),
            title: format!("{}中选结果", terms.project_name),
            status: if a.is_final { "active" } else { "pending" },
            value: yuan(a.price.fen()),
            suppliers: vec![agency_ref(a.agency_id, &a.agency_name)],
        })
        .collect();
    let contracts = source
        .contract
        .iter()
        .map(|c| Contract {
            id: format!("{ocid}-contract"),
            award_id: award_id.clone(),
            title: format!("{}技术服务合同", terms.project_name),
            status: match job.state {
                JobState::Accepted | JobState::Rated => "terminated",
                JobState::Contracted | JobState::Delivered => "active",
                _ => "pending",
            },
            value: yuan(c.amount),
            period: Period {
                start_date: Some(format!("{}T00:00:00+08:00", c.starts_on)),
                end_date: Some(format!("{}T23:59:59+08:00", c.ends_on)),
            },
            date_signed: source.contract_signed_at.clone(),
        })
        .collect();
    Release {
        id: format!("{ocid}-{}", source.last_seq),
        ocid,
        date: source.last_at.clone(),
        tag: vec![tag(job.state)],
        initiation_type: "tender",
        language: "zh",
        parties,
        buyer,
        tender,
        bids,
        awards,
        contracts,
    }
}

/// `GET /api/ocds/releases`: a release package with the cursor of the next page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReleasePackage {
    pub uri: String,
    pub version: &'static str,
    pub published_date: String,
    pub publisher: Publisher,
    pub extensions: Vec<&'static str>,
    pub releases: Vec<Release>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publisher {
    pub name: &'static str,
}

pub const PUBLISHER: Publisher = Publisher {
    name: "云州市中介服务网上超市",
};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    /// The next page (an absolute URL); absent on the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The first page of the same feed, when this is not it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub ocid: String,
    pub releases: Vec<LinkedRelease>,
    pub compiled_release: Release,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedRelease {
    pub url: String,
    pub date: String,
    pub tag: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RecordPackage {
    pub uri: String,
    pub version: &'static str,
    pub published_date: String,
    pub publisher: Publisher,
    pub extensions: Vec<&'static str>,
    pub records: Vec<Record>,
}

/// The change feed's cursor as `links.next` carries it: a position, never negative. `None` for
/// anything else, which the feed refuses with `bad_cursor`.
pub fn parse_cursor(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|position| *position >= 0)
}

#[cfg(test)]
mod cursor_tests {
    use super::parse_cursor;

    #[test]
    fn a_cursor_is_a_non_negative_position_and_nothing_else() {
        assert_eq!(parse_cursor("0"), Some(0));
        assert_eq!(parse_cursor("42"), Some(42));
        for refused in ["", "-1", "1.5", "abc", "99999999999999999999", " 1"] {
            assert_eq!(parse_cursor(refused), None, "{refused:?}");
        }
    }
}
