//! The public agency directory held in memory: each agency's record as the database has it,
//! what follows from it today (offered services, credit score, bad record), a bit set per
//! filter and one array per sort. A page costs the page: filters AND bit sets, sorts resume at
//! the cursor by binary search, totals are popcounts.

use super::bits::BitSet;
use super::text::{normalize, TextIndex};
use market_domain::complaint::ComplaintCategory;
use market_domain::credit::{self, CreditFactor, CreditInputs, CreditScore, ListEntry};
use market_domain::fee::{FeeStandard, JobFacts};
use market_domain::listing::{offered_service_types, Covering};
use market_domain::money::Money;
#[cfg(doc)]
use market_domain::wire::directory_cursor_is_valid;
use market_domain::wire::{AgencyFeeStandard, AgencyFilter, AgencySort, AgencySummary, Page};
use market_domain::{CalendarDate, District, ServiceType};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// An unexpired-or-not qualification, as the directory needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldQualification {
    pub level: String,
    pub expires_on: CalendarDate,
    pub covers: Vec<ServiceType>,
}

impl Covering for HeldQualification {
    fn covers(&self) -> &[ServiceType] {
        &self.covers
    }
    fn last_day(&self) -> CalendarDate {
        self.expires_on
    }
}

/// A suspension or blacklist entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub starts_on: CalendarDate,
    pub ends_on: CalendarDate,
    pub blacklist: bool,
    pub lifted_on: Option<CalendarDate>,
}

/// One agency as stored: everything the directory derives its view from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub credit_code: String,
    pub district: District,
    pub approved: bool,
    pub listed_since: CalendarDate,
    pub declared: Vec<ServiceType>,
    pub qualifications: Vec<HeldQualification>,
    pub entries: Vec<Entry>,
    pub ratings: u32,
    pub average_hundredths: u32,
    /// Upheld complaints: category and the city day decided.
    pub upheld: Vec<(ComplaintCategory, CalendarDate)>,
    pub fee_flagged_awards: i64,
    pub fee_standards: Vec<FeeStandard>,
}

impl AgencyRecord {
    /// The credit score on `today`, by the one formula the agency's credit page shows.
    pub fn credit(&self, today: CalendarDate) -> CreditScore {
        let upheld: Vec<(ComplaintCategory, i64)> = self
            .upheld
            .iter()
            .map(|(category, day)| (*category, day.days_until(today)))
            .collect();
        let entries: Vec<ListEntry> = self
            .entries
            .iter()
            .map(|e| ListEntry {
                blacklist: e.blacklist,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
                lifted_on: e.lifted_on,
            })
            .collect();
        credit::score(&CreditInputs {
            ratings: self.ratings,
            average_hundredths: self.average_hundredths,
            upheld: &upheld,
            fee_flagged_awards: self.fee_flagged_awards,
            entries: &entries,
            today,
        })
    }

    /// Suspended on `today` (a lifted suspension no longer counts): off the directory.
    fn suspended_on(&self, today: CalendarDate) -> bool {
        self.entries
            .iter()
            .any(|e| e.lifted_on.is_none() && e.starts_on <= today && today <= e.ends_on)
    }

    /// The lowest quote of its fee standards in force for `service` (none when none can price).
    fn quote(&self, service: ServiceType, investment: Money, today: CalendarDate) -> Option<Money> {
        let facts = JobFacts {
            investment: Some(investment),
            quantity_milli: None,
        };
        self.fee_standards
            .iter()
            .filter(|f| f.service_type() == service && f.effective_from() <= today)
            .filter_map(|f| f.quote(&facts).ok())
            .min()
    }
}

/// What a record means on the directory's current day.
#[derive(Clone, Debug)]
struct Derived {
    public: bool,
    offered: Vec<ServiceType>,
    unexpired: u32,
    /// (level, service) of each unexpired qualification.
    levels: Vec<(String, ServiceType)>,
    credit: CreditScore,
    clean: bool,
}

impl Derived {
    fn of(record: &AgencyRecord, today: CalendarDate) -> Derived {
        let credit = record.credit(today);
        let clean = !credit.items.iter().any(|item| {
            matches!(
                item.factor,
                CreditFactor::UpheldComplaints
                    | CreditFactor::FeeFlaggedAwards
                    | CreditFactor::ActiveSuspension
                    | CreditFactor::PastSuspensions
                    | CreditFactor::Blacklist
            )
        });
        let unexpired: Vec<&HeldQualification> = record
            .qualifications
            .iter()
            .filter(|q| !q.has_expired_on(today))
            .collect();
        Derived {
            public: record.approved && !record.suspended_on(today),
            offered: offered_service_types(&record.declared, &record.qualifications, today),
            unexpired: unexpired.len() as u32,
            levels: unexpired
                .iter()
                .flat_map(|q| q.covers.iter().map(|s| (q.level.clone(), *s)))
                .collect(),
            credit,
            clean,
        }
    }
}

/// The sorts kept as arrays; the listing order is the slot order itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kept {
    Credit,
    Rating,
    Newest,
}

const KEPT: [Kept; 3] = [Kept::Credit, Kept::Rating, Kept::Newest];

/// The sort key of a record (ascending comes first); slots break ties.
fn kept_key(kept: Kept, record: &AgencyRecord, derived: &Derived) -> i64 {
    let ratings = i64::from(record.ratings.min(9_999));
    let average = i64::from(record.average_hundredths);
    match kept {
        Kept::Credit => -(derived.credit.score * 10_000_000 + average * 10_000 + ratings),
        Kept::Rating => -(average * 10_000 + ratings),
        Kept::Newest => -record.listed_since.days_since_epoch(),
    }
}

/// How a page is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Listing,
    Kept(Kept),
    Fee(ServiceType, Money),
}

/// Where a page ends: the tier (name or description match), the sort key and the slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    tier: usize,
    key: i64,
    slot: u32,
}

impl Cursor {
    fn encode(self) -> String {
        format!("{}.{}.{}", self.tier, self.key, self.slot)
    }

    fn decode(text: &str) -> Option<Cursor> {
        let mut parts = text.split('.');
        let cursor = Cursor {
            tier: parts.next()?.parse().ok().filter(|t| *t < 2)?,
            key: parts.next()?.parse().ok()?,
            slot: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(cursor)
    }
}

pub struct Directory {
    today: CalendarDate,
    records: HashMap<u32, (AgencyRecord, Derived)>,
    public: BitSet,
    services: Vec<BitSet>,
    districts: Vec<BitSet>,
    clean: BitSet,
    /// Agencies with a published fee standard for each service type they offer.
    fee_holders: Vec<BitSet>,
    /// (level, service) and (level, any service).
    levels: HashMap<(String, Option<ServiceType>), BitSet>,
    names: TextIndex,
    descriptions: TextIndex,
    /// Public slots by each kept sort: (key, slot), ascending.
    kept: [Vec<(i64, u32)>; 3],
    /// Orders by quote for the investments asked for lately; emptied by every change.
    fee_orders: Mutex<Vec<FeeOrder>>,
    /// Published fee standards per service type, counted once until the directory changes.
    fee_totals: Mutex<HashMap<ServiceType, u64>>,
}

/// The fee holders of a service in the order of their quote for one investment.
struct FeeOrder {
    service: ServiceType,
    investment: Money,
    /// (quote in fen, slot), ascending, for the holders whose standards price it.
    sorted: Arc<Vec<(i64, u32)>>,
    priced: Arc<BitSet>,
}

/// How many investments' orders are kept: a few figures are asked for again and again (the
/// form's examples, a project's own investment); any other costs one computation.
const FEE_ORDERS_KEPT: usize = 16;

fn slot_of(id: i64) -> Option<u32> {
    u32::try_from(id).ok()
}

impl Directory {
    pub fn new(today: CalendarDate) -> Directory {
        Directory {
            today,
            records: HashMap::new(),
            public: BitSet::default(),
            services: vec![BitSet::default(); ServiceType::ALL.len()],
            districts: vec![BitSet::default(); District::ALL.len()],
            clean: BitSet::default(),
            fee_holders: vec![BitSet::default(); ServiceType::ALL.len()],
            levels: HashMap::new(),
            names: TextIndex::default(),
            descriptions: TextIndex::default(),
            kept: Default::default(),
            fee_orders: Mutex::new(Vec::new()),
            fee_totals: Mutex::new(HashMap::new()),
        }
    }

    /// Builds the directory from every agency at once (startup).
    pub fn build(records: Vec<AgencyRecord>, today: CalendarDate) -> Directory {
        let mut directory = Directory::new(today);
        for record in records {
            let Some(slot) = slot_of(record.id) else {
                continue;
            };
            directory.names.set(slot, &record.name);
            directory.descriptions.set(slot, &record.description);
            let derived = Derived::of(&record, today);
            directory.records.insert(slot, (record, derived));
        }
        directory.rebuild_derived_sets();
        directory
    }

    pub fn today(&self) -> CalendarDate {
        self.today
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Moves to a new day: qualifications expire, suspensions start and end, credit look-backs
    /// pass. Everything derived is recomputed; the text indexes stay.
    pub fn roll_to(&mut self, today: CalendarDate) {
        if today == self.today {
            return;
        }
        self.today = today;
        self.forget_fee_orders();
        for (record, derived) in self.records.values_mut() {
            *derived = Derived::of(record, today);
        }
        self.rebuild_derived_sets();
    }

    fn rebuild_derived_sets(&mut self) {
        self.public = BitSet::default();
        self.services = vec![BitSet::default(); ServiceType::ALL.len()];
        self.districts = vec![BitSet::default(); District::ALL.len()];
        self.clean = BitSet::default();
        self.fee_holders = vec![BitSet::default(); ServiceType::ALL.len()];
        self.levels.clear();
        self.kept = Default::default();
        let slots: Vec<u32> = self.records.keys().copied().collect();
        for slot in slots {
            self.add_to_sets(slot, false);
        }
        for list in &mut self.kept {
            list.sort_unstable();
        }
    }

    /// Adds a slot to every set and kept array it belongs to: at its place when `in_place`,
    /// else at the end (a full rebuild sorts once afterwards).
    fn add_to_sets(&mut self, slot: u32, in_place: bool) {
        let (record, derived) = &self.records[&slot];
        if !derived.public {
            return;
        }
        self.public.insert(slot);
        for service in &derived.offered {
            self.services[*service as usize].insert(slot);
        }
        self.districts[record.district as usize].insert(slot);
        self.clean.set(slot, derived.clean);
        for standard in &record.fee_standards {
            if derived.offered.contains(&standard.service_type()) {
                self.fee_holders[standard.service_type() as usize].insert(slot);
            }
        }
        for (level, service) in &derived.levels {
            for key in [(level.clone(), Some(*service)), (level.clone(), None)] {
                self.levels.entry(key).or_default().insert(slot);
            }
        }
        for (kept, list) in KEPT.iter().zip(self.kept.iter_mut()) {
            let entry = (kept_key(*kept, record, derived), slot);
            if in_place {
                let at = list.binary_search(&entry).unwrap_or_else(|at| at);
                list.insert(at, entry);
            } else {
                list.push(entry);
            }
        }
    }

    fn remove_from_sets(&mut self, slot: u32) {
        let Some((record, derived)) = self.records.get(&slot) else {
            return;
        };
        if !derived.public {
            return;
        }
        self.public.remove(slot);
        for set in &mut self.services {
            set.remove(slot);
        }
        self.districts[record.district as usize].remove(slot);
        self.clean.remove(slot);
        for set in &mut self.fee_holders {
            set.remove(slot);
        }
        for (level, service) in &derived.levels {
            for key in [(level.clone(), Some(*service)), (level.clone(), None)] {
                if let Some(set) = self.levels.get_mut(&key) {
                    set.remove(slot);
                }
            }
        }
        for (kept, list) in KEPT.iter().zip(self.kept.iter_mut()) {
            let entry = (kept_key(*kept, record, derived), slot);
            if let Ok(at) = list.binary_search(&entry) {
                list.remove(at);
            }
        }
    }

    /// Replaces one agency's record, or removes it when `record` is `None` (the row is gone).
    pub fn upsert(&mut self, id: i64, record: Option<AgencyRecord>) {
        let Some(slot) = slot_of(id) else {
            return;
        };
        self.forget_fee_orders();
        self.remove_from_sets(slot);
        self.records.remove(&slot);
        let Some(record) = record else {
            self.names.remove(slot);
            self.descriptions.remove(slot);
            return;
        };
        self.names.set(slot, &record.name);
        self.descriptions.set(slot, &record.description);
        let derived = Derived::of(&record, self.today);
        self.records.insert(slot, (record, derived));
        self.add_to_sets(slot, true);
    }

    /// One page of the directory for `filter` (whose `today` is the directory's).
    /// An `after` the domain accepted always decodes ([`directory_cursor_is_valid`]).
    pub fn query(&self, filter: &AgencyFilter) -> Page<AgencySummary> {
        let mut set = self.public.clone();
        if let Some(service) = filter.service_type {
            set.intersect_with(&self.services[service as usize]);
        }
        if let Some(district) = filter.district {
            set.intersect_with(&self.districts[district as usize]);
        }
        if filter.clean {
            set.intersect_with(&self.clean);
        }
        if let Some(level) = &filter.level {
            match self.levels.get(&(level.clone(), filter.service_type)) {
                Some(holding) => set.intersect_with(holding),
                None => set = BitSet::default(),
            }
        }
        let term = filter
            .q
            .as_deref()
            .map(|q| normalize(q.trim()))
            .filter(|q| !q.is_empty());
        let tiers: Vec<BitSet> = match &term {
            None => vec![set],
            Some(term) => {
                let mut names = self.names.find(term);
                names.intersect_with(&set);
                let mut descriptions = self.descriptions.find(term);
                descriptions.intersect_with(&set);
                descriptions.subtract(&names);
                if filter.sort == AgencySort::Relevance {
                    vec![names, descriptions]
                } else {
                    let mut both = names;
                    both.union_with(&descriptions);
                    vec![both]
                }
            }
        };
        let order = match filter.sort {
            AgencySort::Relevance if term.is_some() => Order::Kept(Kept::Credit),
            AgencySort::Relevance => Order::Listing,
            AgencySort::Credit => Order::Kept(Kept::Credit),
            AgencySort::Rating => Order::Kept(Kept::Rating),
            AgencySort::Newest => Order::Kept(Kept::Newest),
            AgencySort::Fee => match (filter.service_type, filter.investment) {
                (Some(service), Some(investment)) => Order::Fee(service, investment),
                _ => Order::Listing,
            },
        };
        let cursor = filter.after.as_deref().and_then(Cursor::decode);
        let total: u64 = tiers.iter().map(BitSet::len).sum();
        let per_page = filter.per_page.max(1) as usize;
        let mut skip = match cursor {
            Some(_) => 0,
            None => (filter.page.max(1) as usize - 1) * per_page,
        };
        let mut found: Vec<Cursor> = Vec::with_capacity(per_page + 1);
        'tiers: for (tier, members) in tiers.iter().enumerate() {
            let mut from = match cursor {
                Some(c) if c.tier > tier => continue,
                Some(c) if c.tier == tier => Some((c.key, c.slot)),
                _ => None,
            };
            // A page by position in listing order starts at its first member, found by
            // counting whole words, rather than after walking every member before it.
            if matches!(order, Order::Listing) && skip > 0 {
                let members_here = members.len() as usize;
                if skip >= members_here {
                    skip -= members_here;
                    continue;
                }
                if let Some(first) = members.nth(skip as u64).and_then(|s| s.checked_sub(1)) {
                    from = Some((0, first));
                    skip = 0;
                }
            }
            for (key, slot) in self.ordered(members, order, from) {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                found.push(Cursor { tier, key, slot });
                if found.len() > per_page {
                    break 'tiers;
                }
            }
        }
        let next = (found.len() > per_page).then(|| found[per_page - 1].encode());
        found.truncate(per_page);
        let quote_for = match order {
            Order::Fee(service, investment) => Some((service, investment)),
            _ => filter.service_type.zip(filter.investment),
        };
        let items = found
            .iter()
            .map(|c| self.summary(c.slot, quote_for))
            .collect();
        Page {
            items,
            total,
            page: filter.page.max(1),
            per_page: filter.per_page,
            next,
        }
    }

    /// Members of `members` in `order`, after `from` (key, slot) when given.
    fn ordered<'a>(
        &'a self,
        members: &'a BitSet,
        order: Order,
        from: Option<(i64, u32)>,
    ) -> Box<dyn Iterator<Item = (i64, u32)> + 'a> {
        let after = move |entry: &(i64, u32)| from.is_none_or(|f| *entry > f);
        match order {
            Order::Listing => {
                let first = from.map_or(0, |(_, slot)| slot.saturating_add(1));
                Box::new(members.iter_from(first).map(|slot| (0, slot)).filter(after))
            }
            Order::Kept(kept) => {
                let index = KEPT.iter().position(|k| *k == kept).expect("kept sort");
                let list = &self.kept[index];
                // Few members: sort them; many: walk the kept array and test membership.
                if members.len() * 64 < list.len() as u64 {
                    let mut entries: Vec<(i64, u32)> = members
                        .iter()
                        .filter_map(|slot| {
                            let (record, derived) = self.records.get(&slot)?;
                            Some((kept_key(kept, record, derived), slot))
                        })
                        .filter(after)
                        .collect();
                    entries.sort_unstable();
                    Box::new(entries.into_iter())
                } else {
                    let start = from.map_or(0, |f| list.partition_point(|e| *e <= f));
                    Box::new(
                        list[start..]
                            .iter()
                            .copied()
                            .filter(move |(_, slot)| members.contains(*slot)),
                    )
                }
            }
            Order::Fee(service, investment) => {
                let (sorted, priced) = self.fee_order(service, investment);
                let start = from.map_or(0, |f| sorted.partition_point(|e| *e <= f));
                // Priced members by quote, then the rest (no quote: key i64::MAX) by slot.
                let unpriced = members
                    .iter()
                    .filter(move |slot| !priced.contains(*slot))
                    .map(|slot| (i64::MAX, slot))
                    .filter(after);
                Box::new(
                    (start..sorted.len())
                        .map(move |i| sorted[i])
                        .filter(move |(_, slot)| members.contains(*slot))
                        .chain(unpriced),
                )
            }
        }
    }

    fn forget_fee_orders(&mut self) {
        self.fee_orders.get_mut().map(Vec::clear).ok();
        self.fee_totals.get_mut().map(HashMap::clear).ok();
    }

    /// The order by quote for `investment` among `service`'s fee holders, computed once until
    /// the directory changes.
    fn fee_order(
        &self,
        service: ServiceType,
        investment: Money,
    ) -> (Arc<Vec<(i64, u32)>>, Arc<BitSet>) {
        let mut kept = self
            .fee_orders
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(order) = kept
            .iter()
            .find(|o| o.service == service && o.investment == investment)
        {
            return (Arc::clone(&order.sorted), Arc::clone(&order.priced));
        }
        let mut sorted = Vec::new();
        let mut priced = BitSet::default();
        for slot in self.fee_holders[service as usize].iter() {
            let quote = self
                .records
                .get(&slot)
                .and_then(|(record, _)| record.quote(service, investment, self.today));
            if let Some(quote) = quote {
                sorted.push((quote.fen(), slot));
                priced.insert(slot);
            }
        }
        sorted.sort_unstable();
        let order = FeeOrder {
            service,
            investment,
            sorted: Arc::new(sorted),
            priced: Arc::new(priced),
        };
        let found = (Arc::clone(&order.sorted), Arc::clone(&order.priced));
        if kept.len() == FEE_ORDERS_KEPT {
            kept.remove(0);
        }
        kept.push(order);
        found
    }

    fn summary(&self, slot: u32, quote_for: Option<(ServiceType, Money)>) -> AgencySummary {
        let (record, derived) = &self.records[&slot];
        AgencySummary {
            id: record.id,
            name: record.name.clone(),
            credit_code: record.credit_code.clone(),
            district: record.district,
            service_types: derived.offered.clone(),
            qualification_count: derived.unexpired,
            credit_score: derived.credit.score,
            credit_grade: derived.credit.grade,
            ratings: record.ratings,
            average_hundredths: record.average_hundredths,
            quote: quote_for
                .and_then(|(service, investment)| record.quote(service, investment, self.today)),
        }
    }

    /// Published fee standards for `service` of agencies that may offer it today, by agency id
    /// then the standard's order; `after` is `slot.index` of the last one of the previous page.
    pub fn fee_standards(
        &self,
        service: ServiceType,
        after: Option<(i64, u32)>,
        page: u32,
        per_page: u32,
    ) -> Page<AgencyFeeStandard> {
        let mut set = self.public.clone();
        set.intersect_with(&self.services[service as usize]);
        set.intersect_with(&self.fee_holders[service as usize]);
        let standards = |slot: u32| {
            self.records[&slot]
                .0
                .fee_standards
                .iter()
                .filter(move |f| f.service_type() == service)
        };
        let total = *self
            .fee_totals
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(service)
            .or_insert_with(|| set.iter().map(|slot| standards(slot).count() as u64).sum());
        let per_page = per_page.max(1) as usize;
        let skip = match after {
            Some(_) => 0,
            None => (page.max(1) as usize - 1) * per_page,
        };
        let mut found: Vec<(u32, i64)> = set
            .iter()
            .filter(|slot| after.is_none_or(|(_, s)| *slot >= s))
            .flat_map(|slot| (0..standards(slot).count() as i64).map(move |i| (slot, i)))
            .filter(|(slot, i)| after.is_none_or(|(a, s)| (*slot, *i) > (s, a)))
            .skip(skip)
            .take(per_page + 1)
            .collect();
        let next = (found.len() > per_page).then(|| {
            let (slot, index) = found[per_page - 1];
            format!("{index}.{slot}")
        });
        found.truncate(per_page);
        let items = found
            .into_iter()
            .filter_map(|(slot, index)| {
                let record = &self.records[&slot].0;
                Some(AgencyFeeStandard {
                    agency_id: record.id,
                    agency_name: record.name.clone(),
                    district: record.district,
                    standard: standards(slot).nth(index as usize)?.clone(),
                })
            })
            .collect();
        Page {
            items,
            total,
            page: page.max(1),
            per_page: per_page as u32,
            next,
        }
    }

    /// Approximate bytes held by the text indexes, for the startup log.
    pub fn text_bytes(&self) -> usize {
        self.names.bytes() + self.descriptions.bytes()
    }
}

#[cfg(test)]
mod tests;
