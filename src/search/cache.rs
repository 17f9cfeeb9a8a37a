//! The one bounded cache behind the engine's three memos: cognates by prefix, the provisions
//! last shown, and the responses of recent searches. A generation never changes, so nothing
//! goes stale, and the next generation's engine starts empty. When full it starts over: what
//! is asked for now comes back at once, and clearing is cheaper than keeping a recency order.

use rustc_hash::FxHashMap;
use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::Mutex;

/// A map of at most `capacity` entries, shared between threads; 0 keeps nothing.
pub(crate) struct Bounded<K, V> {
    map: Mutex<FxHashMap<K, V>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Bounded<K, V> {
    pub(crate) fn new(capacity: usize) -> Self {
        Bounded {
            map: Mutex::new(FxHashMap::default()),
            capacity,
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Sets the capacity and empties the cache.
    pub(crate) fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        if let Ok(mut m) = self.map.lock() {
            m.clear();
        }
    }

    /// The value kept for a key. A poisoned lock is a miss, never a panic.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.lock().ok().and_then(|m| m.get(key).cloned())
    }

    /// Keeps a value, starting over when the cache is full.
    pub(crate) fn insert(&self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= self.capacity {
                m.clear();
            }
            m.insert(key, value);
        }
    }

    /// The value kept for a key, or the one `make` computes (then kept).
    pub(crate) fn get_or_insert_with<Q>(&self, key: &Q, make: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        match self.get_or_try_insert(key, || Ok::<V, std::convert::Infallible>(make())) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    /// The value kept for a key, or the one `make` computes (then kept). The lock is not held
    /// while computing, so two threads may compute the same value once each.
    pub(crate) fn get_or_try_insert<Q, E>(
        &self,
        key: &Q,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let v = make()?;
        self.insert(key.to_owned(), v.clone());
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_starts_over_and_a_zero_capacity_keeps_nothing() {
        let c: Bounded<String, u32> = Bounded::new(2);
        c.insert("a".into(), 1);
        c.insert("b".into(), 2);
        assert_eq!(c.get("a"), Some(1));
        c.insert("c".into(), 3);
        assert_eq!((c.get("a"), c.get("c")), (None, Some(3)));
        let made = c.get_or_try_insert("d", || Ok::<_, ()>(4));
        assert_eq!((made, c.get("d")), (Ok(4), Some(4)));
        let mut off: Bounded<String, u32> = Bounded::new(1);
        off.set_capacity(0);
        off.insert("a".into(), 1);
        assert_eq!(off.get("a"), None);
    }
}
