//! A growable set of small integers (record slots), so filters combine with a word-wise AND and
//! a match count is a popcount, whatever the number of records.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BitSet {
    words: Vec<u64>,
    /// The number of members, kept as they change: the plain job list asks a million-member
    /// set for its size on every page, and counting 16,000 words was a tenth of that page.
    count: u64,
}

impl BitSet {
    pub fn insert(&mut self, slot: u32) {
        let word = slot as usize / 64;
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let bit = 1 << (slot % 64);
        if self.words[word] & bit == 0 {
            self.words[word] |= bit;
            self.count += 1;
        }
    }

    pub fn remove(&mut self, slot: u32) {
        if let Some(word) = self.words.get_mut(slot as usize / 64) {
            let bit = 1 << (slot % 64);
            if *word & bit != 0 {
                *word &= !bit;
                self.count -= 1;
            }
        }
    }

    pub fn set(&mut self, slot: u32, on: bool) {
        if on {
            self.insert(slot);
        } else {
            self.remove(slot);
        }
    }

    pub fn contains(&self, slot: u32) -> bool {
        self.words
            .get(slot as usize / 64)
            .is_some_and(|word| word & (1 << (slot % 64)) != 0)
    }

    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Counts the members again after a word-wise change.
    fn recount(&mut self) {
        self.count = self.words.iter().map(|w| u64::from(w.count_ones())).sum();
    }

    pub fn intersect_with(&mut self, other: &BitSet) {
        self.words.truncate(other.words.len());
        for (word, theirs) in self.words.iter_mut().zip(&other.words) {
            *word &= theirs;
        }
        self.recount();
    }

    pub fn union_with(&mut self, other: &BitSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (word, theirs) in self.words.iter_mut().zip(&other.words) {
            *word |= theirs;
        }
        self.recount();
    }

    pub fn subtract(&mut self, other: &BitSet) {
        for (word, theirs) in self.words.iter_mut().zip(&other.words) {
            *word &= !theirs;
        }
        self.recount();
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(index, word)| {
            let mut rest = *word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    index as u32 * 64 + bit
                })
            })
        })
    }

    /// How many members every one of `sets` holds, without building their intersection. Two
    /// and three sets (a filter and a search term) are zipped so the loop vectorises.
    pub fn common_len(sets: &[&BitSet]) -> u64 {
        let ones = |word: u64| u64::from(word.count_ones());
        match sets {
            [] => 0,
            [a] => a.len(),
            [a, b] => a.words.iter().zip(&b.words).map(|(x, y)| ones(x & y)).sum(),
            [a, b, c] => a
                .words
                .iter()
                .zip(&b.words)
                .zip(&c.words)
                .map(|((x, y), z)| ones(x & y & z))
                .sum(),
            [a, rest @ ..] => a
                .words
                .iter()
                .enumerate()
                .map(|(at, word)| {
                    ones(rest.iter().fold(*word, |word, set| {
                        word & set.words.get(at).copied().unwrap_or(0)
                    }))
                })
                .sum(),
        }
    }

    /// Whether the two sets share a member.
    pub fn intersects(&self, other: &BitSet) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    /// Members from `first` on, ascending, starting at `first`'s word rather than the start.
    pub fn iter_from(&self, first: u32) -> impl Iterator<Item = u32> + '_ {
        let start = first as usize / 64;
        let head = !0u64 << (first % 64);
        self.words
            .iter()
            .enumerate()
            .skip(start)
            .flat_map(move |(index, word)| {
                let mut rest = if index == start { word & head } else { *word };
                std::iter::from_fn(move || {
                    (rest != 0).then(|| {
                        let bit = rest.trailing_zeros();
                        rest &= rest - 1;
                        index as u32 * 64 + bit
                    })
                })
            })
    }

    /// The member at position `n` (from 0) in ascending order, found by counting whole words.
    pub fn nth(&self, n: u64) -> Option<u32> {
        let mut left = n;
        for (index, word) in self.words.iter().enumerate() {
            let count = u64::from(word.count_ones());
            if left < count {
                let mut rest = *word;
                for _ in 0..left {
                    rest &= rest - 1;
                }
                return Some(index as u32 * 64 + rest.trailing_zeros());
            }
            left -= count;
        }
        None
    }

    /// Bytes held, for the memory report.
    pub fn bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

impl FromIterator<u32> for BitSet {
    fn from_iter<I: IntoIterator<Item = u32>>(slots: I) -> BitSet {
        let mut set = BitSet::default();
        for slot in slots {
            set.insert(slot);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_counts_intersects_and_lists_its_members_in_order() {
        let mut a: BitSet = [1, 64, 65, 1000, 64].into_iter().collect();
        let b: BitSet = [64, 1000, 5].into_iter().collect();
        assert_eq!(a.len(), 4);
        a.intersect_with(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), [64, 1000]);
        assert_eq!(a.len(), 2);
        a.remove(64);
        a.remove(64);
        a.remove(70_000);
        assert!(!a.contains(64) && a.contains(1000));
        assert_eq!(a.len(), 1);
        let mut c: BitSet = [1, 2, 3].into_iter().collect();
        c.subtract(&[2].into_iter().collect());
        assert_eq!(c.iter().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(c.len(), 2);
        c.union_with(&[3, 4, 200].into_iter().collect());
        assert_eq!(c.len(), 4);
        c.set(4, false);
        c.set(1, true);
        assert_eq!((c.len(), c.is_empty()), (3, false));
    }

    #[test]
    fn the_common_count_of_several_sets_is_the_size_of_their_intersection() {
        let a: BitSet = [1, 64, 65, 1000, 5000].into_iter().collect();
        let b: BitSet = [64, 1000, 5, 5000].into_iter().collect();
        let c: BitSet = [1000, 5000, 7].into_iter().collect();
        assert_eq!(BitSet::common_len(&[&a, &b]), 3);
        assert_eq!(BitSet::common_len(&[&a, &b, &c]), 2);
        assert_eq!(BitSet::common_len(&[&a]), 5);
        assert_eq!(BitSet::common_len(&[&a, &BitSet::default()]), 0);
        assert_eq!(BitSet::common_len(&[&a, &b, &c, &c]), 2);
        assert_eq!(BitSet::common_len(&[&c, &b, &a, &BitSet::default()]), 0);
        assert_eq!(BitSet::common_len(&[]), 0);
    }

    #[test]
    fn positions_and_starting_points_agree_with_walking_every_member() {
        let set: BitSet = [0, 3, 63, 64, 65, 130, 1000, 4095].into_iter().collect();
        let all: Vec<u32> = set.iter().collect();
        for (n, slot) in all.iter().enumerate() {
            assert_eq!(set.nth(n as u64), Some(*slot));
        }
        assert_eq!(set.nth(all.len() as u64), None);
        for first in [0, 1, 3, 4, 63, 64, 66, 131, 1000, 4095, 4096, 10_000] {
            let expected: Vec<u32> = all.iter().copied().filter(|s| *s >= first).collect();
            assert_eq!(
                set.iter_from(first).collect::<Vec<_>>(),
                expected,
                "{first}"
            );
        }
    }
}
