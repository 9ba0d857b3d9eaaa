//! The procurement notices (采购公告) held in memory: each job's state, service type, owner and
//! listing time, one array in list order, and the text of its project name, scope and owner.
//! A page walks the order from its cursor; totals are popcounts.

use super::bits::BitSet;
use super::text::{normalize, TextIndex};
use market_domain::job::JobState;
use market_domain::ServiceType;
use std::collections::HashMap;

/// One job as the list needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRecord {
    pub id: i64,
    pub state: JobState,
    pub service: ServiceType,
    pub owner: i64,
    /// Unix time it was published (created, for a draft): the list's order, newest first.
    pub listed_at: i64,
    pub project_name: String,
    pub scope: String,
    pub owner_name: String,
}

#[derive(Clone, Copy, Debug)]
struct Meta {
    state: JobState,
    service: ServiceType,
    owner: i64,
    listed_at: i64,
}

/// Newest first, then the higher id: ascending `(key, tie)`.
fn order_entry(meta: &Meta, slot: u32) -> (i64, u32) {
    (-meta.listed_at, u32::MAX - slot)
}

/// What a list asks for.
#[derive(Clone, Debug, Default)]
pub struct NoticeQuery {
    pub state: Option<JobState>,
    pub service: Option<ServiceType>,
    /// Only jobs of one of these (none: any).
    pub any_service: Vec<ServiceType>,
    /// Only this enterprise's jobs, drafts included.
    pub owner: Option<i64>,
    /// Only these jobs (an agency's bids).
    pub within: Option<Vec<i64>>,
    pub q: Option<String>,
    /// `key.slot` of the last job of the previous page (checked by the domain's
    /// `keyset_cursor_is_valid`).
    pub after: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// One page: job ids in list order, the total and where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticePage {
    pub ids: Vec<i64>,
    pub total: u64,
    pub next: Option<String>,
}

#[derive(Default)]
pub struct Notices {
    metas: Vec<Option<Meta>>,
    /// Every job but drafts.
    public: BitSet,
    states: HashMap<JobState, BitSet>,
    services: Vec<BitSet>,
    /// Each owner's jobs, ascending: a bit set per owner would span every job id.
    owners: HashMap<i64, Vec<u32>>,
    /// Every public job (drafts are their owners' alone) in list order: the plain list's page
    /// by position is an index into it.
    order: Vec<(i64, u32)>,
    text: TextIndex,
}

impl Notices {
    /// Builds the index from every job, in ascending id order: each half on its own core.
    pub fn build(records: Vec<JobRecord>) -> Notices {
        let mut upper = records;
        let lower: Vec<JobRecord> = upper.drain(..upper.len() / 2).collect();
        let (mut notices, upper) = std::thread::scope(|scope| {
            let upper = scope.spawn(|| Notices::build_serial(upper));
            (Notices::build_serial(lower), upper.join())
        });
        match upper {
            Ok(upper) => notices.absorb(upper),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        notices
    }

    fn build_serial(records: Vec<JobRecord>) -> Notices {
        let mut notices = Notices {
            services: vec![BitSet::default(); ServiceType::ALL.len()],
            ..Notices::default()
        };
        for record in records {
            notices.add(record, false);
        }
        notices.order.sort_unstable();
        notices
    }

    /// Takes in an index of jobs with higher ids than every one of this index's.
    fn absorb(&mut self, other: Notices) {
        if self.metas.len() < other.metas.len() {
            self.metas.resize(other.metas.len(), None);
        }
        for (slot, meta) in other.metas.into_iter().enumerate() {
            if meta.is_some() {
                self.metas[slot] = meta;
            }
        }
        self.public.union_with(&other.public);
        for (state, set) in other.states {
            self.states.entry(state).or_default().union_with(&set);
        }
        for (ours, theirs) in self.services.iter_mut().zip(&other.services) {
            ours.union_with(theirs);
        }
        for (owner, slots) in other.owners {
            self.owners.entry(owner).or_default().extend(slots);
        }
        let ours = std::mem::take(&mut self.order);
        let mut merged = Vec::with_capacity(ours.len() + other.order.len());
        let (mut a, mut b) = (
            ours.into_iter().peekable(),
            other.order.into_iter().peekable(),
        );
        while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
            merged.push(if x <= y { a.next() } else { b.next() }.expect("peeked"));
        }
        merged.extend(a);
        merged.extend(b);
        self.order = merged;
        self.text.absorb(other.text);
    }

    pub fn len(&self) -> usize {
        self.metas.iter().flatten().count()
    }

    pub fn is_empty(&self) -> bool {
        self.metas.iter().all(Option::is_none)
    }

    fn add(&mut self, record: JobRecord, in_place: bool) {
        let Ok(slot) = u32::try_from(record.id) else {
            return;
        };
        let meta = Meta {
            state: record.state,
            service: record.service,
            owner: record.owner,
            listed_at: record.listed_at,
        };
        let index = slot as usize;
        if index >= self.metas.len() {
            self.metas.resize(index + 1, None);
        }
        self.metas[index] = Some(meta);
        self.public.set(slot, record.state != JobState::Draft);
        self.states.entry(record.state).or_default().insert(slot);
        self.services[record.service as usize].insert(slot);
        let owned = self.owners.entry(record.owner).or_default();
        match owned.last() {
            Some(last) if *last >= slot => {
                if let Err(at) = owned.binary_search(&slot) {
                    owned.insert(at, slot);
                }
            }
            _ => owned.push(slot),
        }
        let entry = order_entry(&meta, slot);
        if record.state == JobState::Draft {
            // Not in the order: see `order`.
        } else if in_place {
            let at = self.order.binary_search(&entry).unwrap_or_else(|at| at);
            self.order.insert(at, entry);
        } else {
            self.order.push(entry);
        }
        self.text.set(
            slot,
            &format!(
                "{}\n{}\n{}",
                record.project_name, record.scope, record.owner_name
            ),
        );
    }

    fn remove(&mut self, slot: u32) {
        let Some(meta) = self.metas.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.public.remove(slot);
        if let Some(set) = self.states.get_mut(&meta.state) {
            set.remove(slot);
        }
        self.services[meta.service as usize].remove(slot);
        if let Some(owned) = self.owners.get_mut(&meta.owner) {
            if let Ok(at) = owned.binary_search(&slot) {
                owned.remove(at);
            }
        }
        if let Ok(at) = self.order.binary_search(&order_entry(&meta, slot)) {
            self.order.remove(at);
        }
        self.text.remove(slot);
    }

    /// Replaces one job, or removes it when `record` is `None`.
    pub fn upsert(&mut self, id: i64, record: Option<JobRecord>) {
        let Ok(slot) = u32::try_from(id) else {
            return;
        };
        self.remove(slot);
        if let Some(record) = record {
            self.add(record, true);
        }
    }

    pub fn query(&self, query: &NoticeQuery) -> NoticePage {
        let text = query
            .q
            .as_deref()
            .map(|q| normalize(q.trim()))
            .filter(|q| !q.is_empty())
            .map(|term| self.text.find_shared(&term));
        let per_page = query.per_page.max(1) as usize;
        let from = query
            .after
            .as_deref()
            .and_then(market_domain::wire::keyset_cursor);
        let mut skip = match from {
            Some(_) => 0,
            None => (query.page.max(1) as usize - 1) * per_page,
        };
        let sorted = |slots: &mut dyn Iterator<Item = u32>| {
            let mut entries: Vec<(i64, u32)> = slots
                .filter_map(|slot| {
                    let meta = self.metas.get(slot as usize).copied().flatten()?;
                    Some(order_entry(&meta, slot))
                })
                .filter(|entry| from.is_none_or(|f| *entry > f))
                .collect();
            entries.sort_unstable();
            entries
        };
        let (total, entries): (u64, Vec<(i64, u32)>) =
            if query.owner.is_some() || query.within.is_some() {
                // One owner's jobs or one agency's bids are few: each is tested on its own,
                // rather than building and combining sets that span every job id.
                let within: Option<std::collections::HashSet<u32>> =
                    query.within.as_ref().map(|within| {
                        within
                            .iter()
                            .filter_map(|id| u32::try_from(*id).ok())
                            .collect()
                    });
                let candidates: Vec<u32> = match (query.owner, &within) {
                    (Some(owner), _) => self.owners.get(&owner).cloned().unwrap_or_default(),
                    (None, Some(within)) => within.iter().copied().collect(),
                    (None, None) => Vec::new(),
                };
                let kept: Vec<u32> = candidates
                    .into_iter()
                    .filter(|slot| {
                        let Some(meta) = self.metas.get(*slot as usize).copied().flatten() else {
                            return false;
                        };
                        // Drafts are their owners' alone.
                        (query.owner.is_some() || meta.state != JobState::Draft)
                            && query.state.is_none_or(|state| meta.state == state)
                            && within.as_ref().is_none_or(|w| w.contains(slot))
                            && query.service.is_none_or(|service| meta.service == service)
                            && (query.any_service.is_empty()
                                || query.any_service.contains(&meta.service))
                            && text.as_ref().is_none_or(|text| text.contains(*slot))
                    })
                    .collect();
                let total = kept.len() as u64;
                (total, sorted(&mut kept.into_iter()))
            } else {
                // Each filter is a set the index keeps (or one this request built): a page tests
                // membership in all of them rather than building their intersection, and the
                // total counts their common members a word at a time.
                let empty = BitSet::default();
                let base: &BitSet = match query.state.filter(|state| *state != JobState::Draft) {
                    // Every job in a state other than draft is public.
                    Some(state) => self.states.get(&state).unwrap_or(&empty),
                    // Drafts are their owners' alone: no public list holds one.
                    None if query.state.is_some() => &empty,
                    None => &self.public,
                };
                let any = (!query.any_service.is_empty()).then(|| {
                    let mut any = BitSet::default();
                    for service in &query.any_service {
                        any.union_with(&self.services[*service as usize]);
                    }
                    any
                });
                let mut sets: Vec<&BitSet> = vec![base];
                sets.extend(
                    query
                        .service
                        .map(|service| &self.services[service as usize]),
                );
                sets.extend(any.as_ref());
                sets.extend(text.as_deref());
                let total = if sets.len() == 1 {
                    base.len()
                } else {
                    BitSet::common_len(&sets)
                };
                let in_all = |slot: u32| sets.iter().all(|set| set.contains(slot));
                // Few matches: sort them; many: walk the list order (which holds every public
                // job) and test membership.
                let entries: Vec<(i64, u32)> = if total * 64 < self.order.len() as u64 {
                    let smallest = sets.iter().min_by_key(|set| set.len()).unwrap_or(&base);
                    sorted(&mut smallest.iter().filter(|slot| in_all(*slot)))
                } else {
                    let mut start = from.map_or(0, |f| self.order.partition_point(|e| *e <= f));
                    // The plain list is the whole order: a page by position starts right there.
                    if sets.len() == 1 && std::ptr::eq(base, &self.public) {
                        start = (start + skip).min(self.order.len());
                        skip = 0;
                    }
                    let page = self.order[start..]
                        .iter()
                        .copied()
                        .filter(|(_, tie)| in_all(u32::MAX - tie))
                        .skip(skip)
                        .take(per_page + 1)
                        .collect();
                    skip = 0;
                    page
                };
                (total, entries)
            };
        let mut found = Vec::with_capacity(per_page + 1);
        for entry in entries {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            found.push(entry);
            if found.len() > per_page {
                break;
            }
        }
        let next = (found.len() > per_page).then(|| {
            let (key, tie) = found[per_page - 1];
            format!("{key}.{tie}")
        });
        found.truncate(per_page);
        NoticePage {
            ids: found
                .iter()
                .map(|(_, tie)| i64::from(u32::MAX - tie))
                .collect(),
            total,
            next,
        }
    }

    /// Approximate bytes held by the text index, for the startup log.
    pub fn text_bytes(&self) -> usize {
        self.text.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, state: JobState, at: i64, name: &str) -> JobRecord {
        JobRecord {
            id,
            state,
            service: ServiceType::Surveying,
            owner: id % 2,
            listed_at: at,
            project_name: name.into(),
            scope: "按规范编制成果".into(),
            owner_name: if id % 2 == 0 {
                "云州城投"
            } else {
                "滇中建设"
            }
            .into(),
        }
    }

    fn query() -> NoticeQuery {
        NoticeQuery {
            page: 1,
            per_page: 2,
            ..NoticeQuery::default()
        }
    }

    #[test]
    fn the_list_is_newest_first_without_drafts_and_cursors_reach_every_job_once() {
        let notices = Notices::build(vec![
            job(1, JobState::Published, 100, "一号"),
            job(2, JobState::Draft, 500, "二号"),
            job(3, JobState::Publicity, 300, "三号"),
            job(4, JobState::Published, 300, "四号"),
            job(5, JobState::Published, 50, "五号"),
        ]);
        let first = notices.query(&query());
        assert_eq!((first.ids.clone(), first.total), (vec![4, 3], 4));
        let second = notices.query(&NoticeQuery {
            after: first.next,
            ..query()
        });
        assert_eq!(second.ids, [1, 5]);
        assert_eq!(second.next, None);
        let by_number = notices.query(&NoticeQuery { page: 2, ..query() });
        assert_eq!(by_number.ids, [1, 5]);
        let own = notices.query(&NoticeQuery {
            owner: Some(0),
            per_page: 10,
            ..query()
        });
        assert_eq!(own.ids, [2, 4]);
    }

    #[test]
    fn pages_by_position_match_the_cursor_walk_and_drafts_stay_with_their_owners() {
        let records: Vec<JobRecord> = (1..=300)
            .map(|id| {
                let state = if id % 7 == 0 {
                    JobState::Draft
                } else {
                    JobState::Published
                };
                job(id, state, (id * 7919) % 97, &format!("第{id}号"))
            })
            .collect();
        let mut notices = Notices::build(records);
        // A draft is published later: it joins the list in its place.
        notices.upsert(14, Some(job(14, JobState::Published, 40, "第14号")));
        let page = |n: u32, after: Option<String>| NoticeQuery {
            page: n,
            per_page: 20,
            after,
            ..query()
        };
        let mut walked = Vec::new();
        let mut after = None;
        for n in 1.. {
            let by_cursor = notices.query(&page(n, after.clone()));
            assert_eq!(notices.query(&page(n, None)).ids, by_cursor.ids, "page {n}");
            walked.extend(by_cursor.ids);
            after = by_cursor.next;
            if after.is_none() {
                break;
            }
        }
        assert_eq!(walked.len(), 300 - 42 + 1);
        assert!(walked.contains(&14) && !walked.contains(&21));
        let drafts = notices.query(&NoticeQuery {
            state: Some(JobState::Draft),
            owner: Some(1),
            per_page: 100,
            ..query()
        });
        assert_eq!(drafts.total, 21);
        assert!(drafts.ids.contains(&21));
        let own = notices.query(&NoticeQuery {
            owner: Some(0),
            per_page: 200,
            ..query()
        });
        assert_eq!(own.total, 150);
        assert_eq!(own.ids.len(), 150);
    }

    #[test]
    fn a_set_built_in_two_halves_lists_and_finds_as_one() {
        let records: Vec<JobRecord> = (1..=41)
            .map(|id| {
                job(
                    id,
                    JobState::Published,
                    (id * 7919) % 50,
                    &format!("第{id}号测绘"),
                )
            })
            .collect();
        let mut whole = Notices::build_serial(records.clone());
        let halves = Notices::build(records);
        for q in [None, Some("测绘"), Some("1"), Some("城投")] {
            let query = NoticeQuery {
                q: q.map(str::to_owned),
                per_page: 100,
                ..query()
            };
            assert_eq!(halves.query(&query), whole.query(&query), "{q:?}");
        }
        let own = NoticeQuery {
            owner: Some(1),
            per_page: 100,
            ..query()
        };
        assert_eq!(halves.query(&own), whole.query(&own));
        whole.upsert(3, None);
    }

    #[test]
    fn search_covers_name_scope_and_owner_and_follows_changes() {
        let mut notices = Notices::build(vec![
            job(1, JobState::Published, 100, "环城路测绘项目"),
            job(2, JobState::Published, 200, "学校新建工程"),
        ]);
        let find = |notices: &Notices, q: &str| {
            notices
                .query(&NoticeQuery {
                    q: Some(q.into()),
                    per_page: 10,
                    ..query()
                })
                .ids
        };
        assert_eq!(find(&notices, "测绘"), [1]);
        assert_eq!(find(&notices, "成果"), [2, 1]);
        assert_eq!(find(&notices, "城投"), [2]);
        assert_eq!(find(&notices, "路测"), [1]);
        assert_eq!(
            find(&notices, "果云"),
            Vec::<i64>::new(),
            "no match across fields"
        );
        notices.upsert(2, Some(job(2, JobState::Cancelled, 200, "学校测绘工程")));
        assert_eq!(find(&notices, "测绘"), [2, 1]);
        let cancelled = notices.query(&NoticeQuery {
            state: Some(JobState::Cancelled),
            ..query()
        });
        assert_eq!(cancelled.ids, [2]);
        notices.upsert(1, None);
        assert_eq!(find(&notices, "测绘"), [2]);
    }

    #[test]
    fn every_list_holds_exactly_what_filtering_every_job_would() {
        let states = [
            JobState::Draft,
            JobState::Published,
            JobState::Cancelled,
            JobState::Publicity,
        ];
        let records: Vec<JobRecord> = (1..=240)
            .map(|id| JobRecord {
                service: if id % 3 == 0 {
                    ServiceType::EnvironmentalImpact
                } else {
                    ServiceType::Surveying
                },
                owner: id % 4,
                ..job(
                    id,
                    states[(id as usize / 2) % states.len()],
                    (id * 7919) % 61,
                    if id % 5 == 0 {
                        "道路测绘"
                    } else {
                        "学校工程"
                    },
                )
            })
            .collect();
        let notices = Notices::build(records.clone());
        let within: Vec<i64> = (1..=240).filter(|id| id % 7 < 3).collect();
        for owner in [None, Some(1), Some(2)] {
            for bids in [None, Some(within.clone())] {
                for state in [None, Some(JobState::Draft), Some(JobState::Published)] {
                    for service in [None, Some(ServiceType::EnvironmentalImpact)] {
                        // 学 is in most texts: its posting is a dense set, borrowed.
                        for q in [None, Some("测绘"), Some("学"), Some("学校")] {
                            let mut expected: Vec<&JobRecord> = records
                                .iter()
                                .filter(|r| {
                                    owner.map_or(r.state != JobState::Draft, |o| r.owner == o)
                                        && bids.as_ref().is_none_or(|b| b.contains(&r.id))
                                        && state.is_none_or(|s| r.state == s)
                                        && service.is_none_or(|s| r.service == s)
                                        && q.is_none_or(|q| r.project_name.contains(q))
                                })
                                .collect();
                            expected.sort_by_key(|r| (-r.listed_at, -r.id));
                            let found = notices.query(&NoticeQuery {
                                owner,
                                within: bids.clone(),
                                state,
                                service,
                                q: q.map(str::to_owned),
                                per_page: 500,
                                ..query()
                            });
                            let expected: Vec<i64> = expected.iter().map(|r| r.id).collect();
                            assert_eq!(found.total, expected.len() as u64);
                            assert_eq!(
                                found.ids,
                                expected,
                                "{owner:?} {state:?} {service:?} {q:?} {}",
                                bids.is_some()
                            );
                        }
                    }
                }
            }
        }
    }
}
