//! A list that keeps a single item inline. Most calls have one reading,
//! one path and one resource, and a list of one does not allocate.

use std::ops::{Deref, DerefMut};

/// A list of items, on the heap only from the second one. Two lists are
/// equal when they hold equal items, however they hold them.
#[derive(Debug, Clone, Default)]
pub(crate) enum Few<T> {
    /// No item.
    #[default]
    None,
    /// One item, inline.
    One(T),
    /// Two or more items.
    Many(Vec<T>),
}

impl<T> Few<T> {
    /// Adds an item at the end.
    pub(crate) fn push(&mut self, item: T) {
        match self {
            Self::None => *self = Self::One(item),
            Self::Many(items) => items.push(item),
            Self::One(_) => {
                if let Self::One(first) = std::mem::take(self) {
                    *self = Self::Many(vec![first, item]);
                }
            }
        }
    }

    /// Removes consecutive repeated items.
    pub(crate) fn dedup(&mut self)
    where
        T: PartialEq,
    {
        if let Self::Many(items) = self {
            items.dedup();
        }
    }
}

impl<T> Deref for Few<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Self::None => &[],
            Self::One(item) => std::slice::from_ref(item),
            Self::Many(items) => items,
        }
    }
}

impl<T> DerefMut for Few<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Self::None => &mut [],
            Self::One(item) => std::slice::from_mut(item),
            Self::Many(items) => items,
        }
    }
}

impl<T> Extend<T> for Few<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push(item);
        }
    }
}

impl<T> From<Vec<T>> for Few<T> {
    fn from(mut items: Vec<T>) -> Self {
        match items.len() {
            0 => Self::None,
            1 => items.pop().map_or(Self::None, Self::One),
            _ => Self::Many(items),
        }
    }
}

impl<T: PartialEq> PartialEq for Few<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<'a, T> IntoIterator for &'a Few<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_as_it_grows() {
        let mut few = Few::default();
        assert!(few.is_empty());
        few.push(1);
        assert_eq!(&*few, &[1]);
        assert!(matches!(few, Few::One(1)));
        few.extend([2, 2, 3]);
        few.dedup();
        assert_eq!(&*few, &[1, 2, 3]);
        if let Some(first) = few.first_mut() {
            *first = 5;
        }
        assert_eq!(&*few, &[5, 2, 3]);
        assert!(matches!(Few::from(vec!["a"]), Few::One("a")));
        assert!(matches!(Few::<u8>::from(Vec::new()), Few::None));
        // Equal items, held inline or on the heap, are equal lists.
        assert_eq!(Few::One(7), Few::Many(vec![7]));
        assert_ne!(Few::One(7), Few::Many(vec![7, 7]));
    }
}
