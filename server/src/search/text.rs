//! Substring search over Chinese text: every record's characters and character pairs point to
//! the records holding them, so a 1- or 2-character term (环评, 测绘) is one lookup, and a
//! longer one intersects its pairs and then confirms the substring. Results are exactly what a
//! case-insensitive `LIKE '%term%'` would find.
//!
//! A pair that most records hold (工程, 服务) is kept as a bit set rather than a list, so the
//! index of a million records stays in the hundreds of megabytes.

use super::bits::BitSet;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Grams are already well-spread integers: a multiply-xorshift hash is enough, and building the
/// index of a million records spends most of its time hashing them.
#[derive(Default)]
struct GramHasher(u64);

impl Hasher for GramHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(self.0 ^ u64::from(*byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = (n ^ (n >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

type GramMap<V> = HashMap<u64, V, BuildHasherDefault<GramHasher>>;

/// Terms are matched after this: ASCII letters lowercased, nothing else changed, which is
/// exactly how SQL `LIKE` compares (and skips a Unicode table lookup per Chinese character).
pub fn normalize(text: &str) -> String {
    text.to_ascii_lowercase()
}

fn unigram(c: char) -> u64 {
    u64::from(c)
}

fn bigram(a: char, b: char) -> u64 {
    (1 << 42) | (u64::from(a) << 21) | u64::from(b)
}

/// Every character and character pair of `text`, repeats included: inserting a slot twice
/// into a posting is a no-op, which is cheaper than sorting the grams of each record.
fn grams(text: &str) -> impl Iterator<Item = u64> + '_ {
    let mut chars = text.chars();
    let mut previous = None;
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let pair = previous.map(|p| bigram(p, c));
        previous = Some(c);
        Some(std::iter::once(unigram(c)).chain(pair))
    })
    .flatten()
}

/// The records holding one gram.
#[derive(Debug)]
enum Posting {
    /// Ascending slots.
    Sparse(Vec<u32>),
    Dense(BitSet),
}

impl Posting {
    fn insert(&mut self, slot: u32, dense_above: usize) {
        match self {
            Posting::Sparse(slots) => {
                match slots.last() {
                    Some(last) if *last < slot => slots.push(slot),
                    Some(last) if *last == slot => {}
                    None => slots.push(slot),
                    _ => {
                        if let Err(at) = slots.binary_search(&slot) {
                            slots.insert(at, slot);
                        }
                    }
                }
                if slots.len() > dense_above {
                    *self = Posting::Dense(slots.iter().copied().collect());
                }
            }
            Posting::Dense(set) => set.insert(slot),
        }
    }

    fn remove(&mut self, slot: u32) {
        match self {
            Posting::Sparse(slots) => {
                if let Ok(at) = slots.binary_search(&slot) {
                    slots.remove(at);
                }
            }
            Posting::Dense(set) => set.remove(slot),
        }
    }

    fn len(&self) -> u64 {
        match self {
            Posting::Sparse(slots) => slots.len() as u64,
            Posting::Dense(set) => set.len(),
        }
    }

    fn to_set(&self) -> BitSet {
        match self {
            Posting::Sparse(slots) => slots.iter().copied().collect(),
            Posting::Dense(set) => set.clone(),
        }
    }

    fn contains(&self, slot: u32) -> bool {
        match self {
            Posting::Sparse(slots) => slots.binary_search(&slot).is_ok(),
            Posting::Dense(set) => set.contains(slot),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Posting::Sparse(slots) => slots.capacity() * 4,
            Posting::Dense(set) => set.bytes(),
        }
    }
}

#[derive(Debug, Default)]
pub struct TextIndex {
    /// By slot: record ids are dense, so a vector costs less than a map.
    texts: Vec<Option<Box<str>>>,
    postings: GramMap<Posting>,
    /// Slots above which a posting becomes a bit set: where a list would take more room.
    dense_above: usize,
    /// Recent answers for terms of 3 characters or more, whose matches must each be confirmed
    /// in the text (a common term: thousands of texts read per search). Emptied by any change.
    confirmed: std::sync::Mutex<Vec<(Box<str>, BitSet)>>,
}

/// How many confirmed answers are kept.
const CONFIRMED_KEPT: usize = 32;

impl TextIndex {
    /// Sets (or replaces) a record's text; an empty text removes it.
    pub fn set(&mut self, slot: u32, text: &str) {
        let text = normalize(text);
        if self.text(slot) == Some(text.as_str()) {
            return;
        }
        self.remove(slot);
        self.forget_confirmed();
        if text.is_empty() {
            return;
        }
        self.dense_above = self.dense_above.max((slot as usize + 1) / 32).max(64);
        for gram in grams(&text) {
            self.postings
                .entry(gram)
                .or_insert_with(|| Posting::Sparse(Vec::new()))
                .insert(slot, self.dense_above);
        }
        let index = slot as usize;
        if index >= self.texts.len() {
            self.texts.resize(index + 1, None);
        }
        self.texts[index] = Some(text.into_boxed_str());
    }

    fn text(&self, slot: u32) -> Option<&str> {
        self.texts.get(slot as usize).and_then(|t| t.as_deref())
    }

    pub fn remove(&mut self, slot: u32) {
        let Some(old) = self.texts.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.forget_confirmed();
        for gram in grams(&old) {
            if let Some(posting) = self.postings.get_mut(&gram) {
                posting.remove(slot);
            }
        }
    }

    fn forget_confirmed(&mut self) {
        self.confirmed
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }

    fn confirmed(&self) -> std::sync::MutexGuard<'_, Vec<(Box<str>, BitSet)>> {
        self.confirmed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// As [`TextIndex::find`], borrowing the index's own set where a 1- or 2-character term's
    /// answer is exactly one dense posting: copying it cost more than the rest of a job search.
    pub fn find_shared(&self, term: &str) -> std::borrow::Cow<'_, BitSet> {
        let mut chars = term.chars();
        let key = match (chars.next(), chars.next(), chars.next()) {
            (Some(c), None, _) => Some(unigram(c)),
            (Some(a), Some(b), None) => Some(bigram(a, b)),
            _ => None,
        };
        match key.and_then(|key| self.postings.get(&key)) {
            Some(Posting::Dense(set)) => std::borrow::Cow::Borrowed(set),
            _ => std::borrow::Cow::Owned(self.find(term)),
        }
    }

    /// Every record whose text contains `term` (already [`normalize`]d, not empty).
    pub fn find(&self, term: &str) -> BitSet {
        if term.chars().nth(2).is_none() {
            return self.search(term);
        }
        if let Some((_, found)) = self.confirmed().iter().find(|(t, _)| &**t == term) {
            return found.clone();
        }
        let found = self.search(term);
        let mut kept = self.confirmed();
        if kept.len() == CONFIRMED_KEPT {
            kept.remove(0);
        }
        kept.push((term.into(), found.clone()));
        found
    }

    fn search(&self, term: &str) -> BitSet {
        let chars: Vec<char> = term.chars().collect();
        let keys: Vec<u64> = match chars.as_slice() {
            [] => return BitSet::default(),
            [c] => vec![unigram(*c)],
            _ => {
                let mut keys: Vec<u64> = chars.windows(2).map(|p| bigram(p[0], p[1])).collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            }
        };
        let mut postings = Vec::with_capacity(keys.len());
        for key in keys {
            match self.postings.get(&key) {
                Some(posting) => postings.push(posting),
                None => return BitSet::default(),
            }
        }
        postings.sort_by_key(|p| p.len());
        let (first, rest) = postings.split_first().expect("at least one gram");
        let exact = chars.len() <= 2;
        // Built once per search: `str::contains` builds its searcher again for every text,
        // which was 60% of a common 4-character term's time.
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        let holds = |slot: u32| {
            exact
                || self
                    .text(slot)
                    .is_some_and(|text| finder.find(text.as_bytes()).is_some())
        };
        match first {
            Posting::Sparse(slots) => slots
                .iter()
                .copied()
                .filter(|slot| rest.iter().all(|p| p.contains(*slot)))
                .filter(|slot| holds(*slot))
                .collect(),
            Posting::Dense(_) => {
                let mut set = first.to_set();
                for posting in rest {
                    match posting {
                        // Not copied: a dense posting is as large as the whole set of jobs.
                        Posting::Dense(other) => set.intersect_with(other),
                        Posting::Sparse(_) => set.intersect_with(&posting.to_set()),
                    }
                }
                if !exact {
                    let candidates = std::mem::take(&mut set);
                    for slot in candidates.iter().filter(|slot| holds(*slot)) {
                        set.insert(slot);
                    }
                }
                set
            }
        }
    }

    /// Takes in an index built over higher slots than every one of this index's, so two halves
    /// of a large set can be built side by side.
    pub fn absorb(&mut self, other: TextIndex) {
        self.forget_confirmed();
        self.dense_above = self.dense_above.max(other.dense_above);
        if self.texts.len() < other.texts.len() {
            self.texts.resize(other.texts.len(), None);
        }
        for (slot, text) in other.texts.into_iter().enumerate() {
            if text.is_some() {
                self.texts[slot] = text;
            }
        }
        for (gram, theirs) in other.postings {
            let merged = match (self.postings.remove(&gram), theirs) {
                (None, theirs) => theirs,
                (Some(Posting::Sparse(mut ours)), Posting::Sparse(theirs)) => {
                    ours.extend(theirs);
                    if ours.len() > self.dense_above {
                        Posting::Dense(ours.into_iter().collect())
                    } else {
                        Posting::Sparse(ours)
                    }
                }
                (Some(Posting::Dense(mut ours)), theirs)
                | (Some(theirs), Posting::Dense(mut ours)) => {
                    ours.union_with(&theirs.to_set());
                    Posting::Dense(ours)
                }
            };
            self.postings.insert(gram, merged);
        }
    }

    /// Approximate bytes held, for the memory report.
    pub fn bytes(&self) -> usize {
        self.texts.capacity() * 16
            + self
                .texts
                .iter()
                .flatten()
                .map(|t| t.len() + 16)
                .sum::<usize>()
            + self
                .postings
                .values()
                .map(|p| p.bytes() + 40)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(texts: &[&str]) -> TextIndex {
        let mut index = TextIndex::default();
        for (slot, text) in texts.iter().enumerate() {
            index.set(slot as u32, text);
        }
        index
    }

    fn found(index: &TextIndex, term: &str) -> Vec<u32> {
        index.find(&normalize(term)).iter().collect()
    }

    #[test]
    fn one_and_two_character_terms_find_exactly_the_records_holding_them() {
        let index = index(&["环评报告", "测绘服务", "环境评价", "评环"]);
        assert_eq!(found(&index, "环评"), [0]);
        assert_eq!(found(&index, "评"), [0, 2, 3]);
        assert_eq!(found(&index, "测绘"), [1]);
        assert_eq!(found(&index, "无"), Vec::<u32>::new());
    }

    #[test]
    fn longer_terms_are_confirmed_as_substrings_not_just_shared_pairs() {
        // Both hold the pairs 环评 and 评报, only one holds 环评报.
        let index = index(&["环评报告", "评报环评"]);
        assert_eq!(found(&index, "环评报"), [0]);
        assert_eq!(found(&index, "环评报告"), [0]);
    }

    #[test]
    fn latin_letters_match_in_either_case_as_like_does() {
        let index = index(&["ABC 咨询", "ÄRZTE"]);
        assert_eq!(found(&index, "abc"), [0]);
        assert_eq!(found(&index, "Bc 咨"), [0]);
        // SQL LIKE folds ASCII only.
        assert_eq!(found(&index, "ärzte"), Vec::<u32>::new());
        assert_eq!(found(&index, "ÄRZTE"), [1]);
    }

    #[test]
    fn a_character_repeated_in_one_record_is_listed_once() {
        let index = index(&["测测测绘", "绘测"]);
        assert_eq!(found(&index, "测"), [0, 1]);
        assert_eq!(found(&index, "测测"), [0]);
    }

    #[test]
    fn replacing_or_removing_a_text_updates_every_posting() {
        let mut index = index(&["环评报告", "测绘服务"]);
        index.set(0, "测绘报告");
        assert_eq!(found(&index, "环评"), Vec::<u32>::new());
        assert_eq!(found(&index, "测绘"), [0, 1]);
        index.remove(1);
        assert_eq!(found(&index, "测绘"), [0]);
    }

    #[test]
    fn two_halves_built_apart_answer_as_one_index() {
        let texts: Vec<String> = (0..300)
            .map(|n| format!("第{n}号{}", if n % 3 == 0 { "环评" } else { "测绘" }))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let whole = index(&refs);
        let mut lower = index(&refs[..150]);
        let mut upper = TextIndex::default();
        for (slot, text) in refs.iter().enumerate().skip(150) {
            upper.set(slot as u32, text);
        }
        lower.absorb(upper);
        for term in ["环评", "测", "第1", "号测绘", "29"] {
            assert_eq!(found(&lower, term), found(&whole, term), "{term}");
        }
    }

    #[test]
    fn common_pairs_kept_as_bit_sets_answer_the_same() {
        let texts: Vec<String> = (0..500)
            .map(|n| {
                if n % 7 == 0 {
                    format!("第{n}号工程环评")
                } else {
                    format!("第{n}号工程")
                }
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let index = index(&refs);
        let expected: Vec<u32> = (0..500).filter(|n| n % 7 == 0).collect();
        assert_eq!(found(&index, "工程环评"), expected);
        assert_eq!(found(&index, "工程").len(), 500);
        let tens: Vec<u32> = (0..500)
            .filter(|n| texts[*n as usize].contains("10"))
            .collect();
        assert_eq!(found(&index, "10"), tens);
    }

    #[test]
    fn a_kept_answer_for_a_long_term_follows_every_change_of_the_texts() {
        let mut index = TextIndex::default();
        index.set(1, "环境影响评价报告");
        index.set(2, "环境监测");
        assert_eq!(index.find("影响评").iter().collect::<Vec<_>>(), [1]);
        index.set(2, "环境影响评估");
        assert_eq!(index.find("影响评").iter().collect::<Vec<_>>(), [1, 2]);
        index.remove(1);
        assert_eq!(index.find("影响评").iter().collect::<Vec<_>>(), [2]);
        let mut upper = TextIndex::default();
        upper.set(70, "安全影响评价");
        index.absorb(upper);
        assert_eq!(index.find("影响评").iter().collect::<Vec<_>>(), [2, 70]);
    }
}
