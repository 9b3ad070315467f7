//! The follower: reads the outbox as it grows and hands each new event to this instance's
//! connected browsers, once each.

use super::Change;
use crate::store::SharedStore;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Semaphore};

/// Events kept for browsers that fall behind; one further behind is told to read everything
/// again.
const BUFFER: usize = 1024;
/// How often the outbox is read when nothing wakes the follower: always on SQLite; on
/// PostgreSQL only in case a notification was lost.
const POLL: Duration = Duration::from_millis(250);
const POLL_LISTENING: Duration = Duration::from_secs(5);
/// PostgreSQL numbers an event when it is written, not when it commits: one committed late can
/// sit below events already handed on. The follower reads this many places back each time and
/// hands on those it has not seen.
const LATE: i64 = 256;
/// Live browsers one instance keeps connected.
pub const MAX_CONNECTIONS: usize = 256;
/// The pause between reads while catching up with a long run of writes.
const CATCH_UP: Duration = Duration::from_millis(100);
/// Events read at once.
const READ: i64 = 1000;

/// This instance's live browsers: the changes to send them, and how many may be connected.
#[derive(Clone)]
pub struct LiveHub {
    changes: broadcast::Sender<Change>,
    pub(super) slots: Arc<Semaphore>,
}

impl LiveHub {
    /// Starts following the store's outbox; at most `max_connections` browsers at once.
    pub fn start(store: SharedStore, max_connections: usize) -> Self {
        let (changes, _) = broadcast::channel(BUFFER);
        tokio::spawn(follow(store, changes.clone()));
        LiveHub { changes, slots: Arc::new(Semaphore::new(max_connections)) }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }
}

/// What has been handed on: the newest place, and every place in the late window below it.
struct Followed {
    last: i64,
    seen: BTreeSet<i64>,
}

impl Followed {
    /// Whether `seq` is new; it counts as seen from now on.
    fn take(&mut self, seq: i64) -> bool {
        if seq <= self.last - LATE || !self.seen.insert(seq) {
            return false;
        }
        self.last = self.last.max(seq);
        let floor = self.last - LATE;
        while self.seen.first().is_some_and(|s| *s <= floor) {
            self.seen.pop_first();
        }
        true
    }
}

async fn follow(store: SharedStore, changes: broadcast::Sender<Change>) {
    let last = store.last_event_seq().await.unwrap_or(0);
    let mut followed = Followed { last, seen: BTreeSet::new() };
    // what is there already is not news
    if let Ok(heads) = store.event_heads(last - LATE, LATE).await {
        followed.seen.extend(heads.iter().map(|h| h.seq));
    }
    let mut listener = match store.event_listener().await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::warn!(error = %e, "live: cannot listen for other instances' events; polling");
            None
        }
    };
    let mut more = false;
    loop {
        if more {
            // a long run of writes: read on, but leave the database (and the cores) to the
            // writer between reads
            tokio::time::sleep(CATCH_UP).await;
        } else {
            match &mut listener {
                Some(l) => {
                    if let Err(e) = l.wait(POLL_LISTENING).await {
                        tracing::warn!(error = %e, "live: lost the event listener; polling until it is back");
                        tokio::time::sleep(POLL).await;
                    }
                }
                None => tokio::time::sleep(POLL).await,
            }
        }
        let heads = match store.event_heads(followed.last - LATE, LATE + READ).await {
            Ok(heads) => heads,
            Err(e) => {
                tracing::warn!(error = %e, "live: cannot read the outbox");
                more = false;
                continue;
            }
        };
        more = heads.len() as i64 == LATE + READ;
        for head in heads {
            if followed.take(head.seq) {
                // nobody connected is no error
                let _ = changes.send(Change {
                    seq: head.seq,
                    entity_type: head.entity_type,
                    entity_id: head.entity_id,
                    action: head.action,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_place_is_handed_on_once_even_when_it_commits_late() {
        let mut f = Followed { last: 100, seen: BTreeSet::from([99, 100]) };
        assert!(!f.take(100), "already handed on");
        assert!(f.take(102));
        assert!(f.take(101), "committed after 102, still handed on");
        assert!(!f.take(101));
        assert!(!f.take(102 - LATE), "below the late window: taken for handed on");
        assert!(f.take(5000));
        assert!(f.seen.iter().all(|s| *s > 5000 - LATE), "the window moves with the newest");
    }
}
