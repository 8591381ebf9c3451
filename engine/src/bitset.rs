//! A fixed-size set of rule positions, one bit per rule. Sets of up to 1,024
//! rules live inline, so small policies decide without allocating for it.

/// Words kept inline before the set moves to the heap.
const INLINE: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Words {
    Inline([u64; INLINE]),
    Heap(Vec<u64>),
}

/// One bit per rule; rule `i` is bit `i % 64` of word `i / 64`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitSet {
    words: Words,
    /// Number of words in use.
    count: usize,
}

impl BitSet {
    fn with_word(len: usize, word: u64) -> Self {
        let count = len.div_ceil(64);
        let words = if count <= INLINE {
            let mut inline = [0; INLINE];
            for w in inline.iter_mut().take(count) {
                *w = word;
            }
            Words::Inline(inline)
        } else {
            Words::Heap(vec![word; count])
        };
        Self { words, count }
    }

    pub(crate) fn empty(len: usize) -> Self {
        Self::with_word(len, 0)
    }

    pub(crate) fn full(len: usize) -> Self {
        let mut set = Self::with_word(len, u64::MAX);
        set.clear_from(len);
        set
    }

    /// Clears the bits of the last word at and past position `len`.
    fn clear_from(&mut self, len: usize) {
        let spare = self.count * 64 - len;
        if spare > 0
            && let Some(last) = self.slice_mut().last_mut()
        {
            *last &= u64::MAX >> spare;
        }
    }

    fn slice(&self) -> &[u64] {
        match &self.words {
            Words::Inline(words) => words.get(..self.count).unwrap_or_default(),
            Words::Heap(words) => words,
        }
    }

    fn slice_mut(&mut self) -> &mut [u64] {
        match &mut self.words {
            Words::Inline(words) => words.get_mut(..self.count).unwrap_or_default(),
            Words::Heap(words) => words,
        }
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if let Some(word) = self.slice_mut().get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.slice()
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// The positions below `len`, as a set of `len` positions.
    pub(crate) fn prefix(&self, len: usize) -> Self {
        let mut set = Self::empty(len);
        set.copy_from(self);
        set.clear_from(len);
        set
    }

    /// Whether the set holds no position.
    pub(crate) fn is_empty(&self) -> bool {
        self.slice().iter().all(|w| *w == 0)
    }

    /// The lowest position in the set that is below `limit`.
    pub(crate) fn first_below(&self, limit: usize) -> Option<usize> {
        self.iter().next().filter(|i| *i < limit)
    }

    pub(crate) fn intersect_with(&mut self, other: &Self) {
        for (a, b) in self.slice_mut().iter_mut().zip(other.slice()) {
            *a &= b;
        }
    }

    /// Makes this set equal to `other` (of the same size) without allocating.
    pub(crate) fn copy_from(&mut self, other: &Self) {
        for (a, b) in self.slice_mut().iter_mut().zip(other.slice()) {
            *a = *b;
        }
    }

    pub(crate) fn union_with(&mut self, other: &Self) {
        for (a, b) in self.slice_mut().iter_mut().zip(other.slice()) {
            *a |= b;
        }
    }

    /// The positions in the set, in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.slice().iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(w * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_iterate_intersect() {
        for len in [10, 130, 300, 1000, 1100, 3000] {
            let mut a = BitSet::empty(len);
            let mut picks = vec![0, len / 2, len - 1];
            if len > 64 {
                picks = vec![0, 63, 64, len - 1];
            }
            for &i in &picks {
                a.insert(i);
            }
            assert_eq!(a.iter().collect::<Vec<_>>(), picks, "{len}");
            let mut b = BitSet::full(len);
            assert_eq!(b.iter().count(), len);
            b.intersect_with(&a);
            assert_eq!(b.iter().collect::<Vec<_>>(), picks);
            assert!(!a.contains(1));
            assert!(a.contains(len - 1));
            assert_eq!(a.first_below(1), Some(0));
            assert_eq!(BitSet::empty(len).iter().count(), 0);
            assert!(BitSet::empty(len).is_empty() && !a.is_empty());
            let below: Vec<usize> = picks.iter().copied().filter(|&i| i < len - 1).collect();
            assert_eq!(a.prefix(len - 1).iter().collect::<Vec<_>>(), below);
            assert!(a.prefix(0).is_empty());
        }
    }
}
