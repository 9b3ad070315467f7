//! Password hashing with argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, the OWASP
//! recommendation). Hashing is deliberately slow, so it runs on the blocking pool and never
//! stalls the async workers — and, because every login, sign-up and setup hashes, at most one
//! hash per core runs at once, with a short queue behind them: when the queue is full the
//! caller is told to retry (429) instead of the server hashing itself to a standstill.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Hashes that may wait for a core, per core.
const QUEUE_PER_CORE: usize = 4;
pub const BUSY: &str = "The server is busy checking passwords. Try again in a few seconds.";

struct Limits {
    /// One per core: the hashes running.
    running: Semaphore,
    /// The hashes running or waiting to run.
    admitted: Semaphore,
    /// The most hashes seen running at once, for the flood test.
    #[cfg(test)]
    peak: tests::Peak,
}

impl Limits {
    fn new(cores: usize) -> Self {
        Limits {
            running: Semaphore::new(cores),
            admitted: Semaphore::new(cores * (1 + QUEUE_PER_CORE)),
            #[cfg(test)]
            peak: tests::Peak::default(),
        }
    }

    /// Runs one argon2 computation on the blocking pool in its turn: refused at once when the
    /// queue is full, otherwise after waiting for a core.
    async fn run<T: Send + 'static>(&'static self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _admitted = self.admitted.try_acquire().map_err(|_| {
            tracing::warn!("password hashing queue full: refused");
            AppError::TooManyRequests(BUSY.to_owned())
        })?;
        let _running = self.running.acquire().await.map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || {
            #[cfg(test)]
            let _counted = self.peak.enter();
            work()
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing task failed");
            AppError::Internal
        })
    }
}

fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    LIMITS.get_or_init(|| Limits::new(std::thread::available_parallelism().map_or(1, |n| n.get())))
}

pub async fn hash(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    limits().run(move || hash_blocking(&password)).await?
}

fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Checks `password` against a stored hash. With no hash (unknown email) it verifies against a
/// fixed dummy hash, so that a wrong email and a wrong password take the same time.
pub async fn verify(password: &str, stored: Option<&str>) -> Result<bool, AppError> {
    let password = password.to_owned();
    let stored = stored.map(str::to_owned);
    limits()
        .run(move || {
            let known = stored.is_some();
            let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let Ok(parsed) = PasswordHash::new(&hash) else {
                tracing::error!("a stored password hash could not be parsed");
                return false;
            };
            Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && known
        })
        .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a real password, only for timing").expect("hashing a constant"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts the hashes running at once.
    #[derive(Default)]
    pub(super) struct Peak {
        running: AtomicUsize,
        most: AtomicUsize,
    }

    pub(super) struct Entered<'a>(&'a Peak);

    impl Peak {
        pub(super) fn enter(&self) -> Entered<'_> {
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(now, Ordering::SeqCst);
            Entered(self)
        }
    }

    impl Drop for Entered<'_> {
        fn drop(&mut self) {
            self.0.running.fetch_sub(1, Ordering::SeqCst);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_flood_of_checks_runs_one_per_core_and_the_rest_are_told_to_wait() {
        // limits of its own, so that the other tests' hashes neither count nor get refused
        let cores = 2;
        let limits: &'static Limits = Box::leak(Box::new(Limits::new(cores)));
        let stored = hash(&Password::parse("correct horse battery").unwrap()).await.unwrap();
        let check = move |password: &'static str| {
            let stored = stored.clone();
            async move {
                limits
                    .run(move || {
                        let parsed = PasswordHash::new(&stored).unwrap();
                        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
                    })
                    .await
            }
        };
        let checks: Vec<_> = (0..cores * 12).map(|_| tokio::spawn(check("wrong horse battery"))).collect();
        let mut refused = 0;
        for check in checks {
            match check.await.unwrap() {
                Ok(verified) => assert!(!verified),
                Err(AppError::TooManyRequests(message)) => {
                    assert_eq!(message, BUSY);
                    refused += 1;
                }
                Err(other) => panic!("{other:?}"),
            }
        }
        assert!(refused >= cores * 12 - cores * (1 + QUEUE_PER_CORE), "{refused} refused");
        assert_eq!(limits.peak.most.load(Ordering::SeqCst), cores, "never more hashes at once than cores");
        assert!(check("correct horse battery").await.unwrap(), "and the flood leaves no trace");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let p = Password::parse("correct horse battery").unwrap();
        let h1 = hash(&p).await.unwrap();
        let h2 = hash(&p).await.unwrap();
        assert!(h1.starts_with("$argon2id$"), "{h1}");
        assert_ne!(h1, h2, "each hash has its own salt");
        assert!(verify("correct horse battery", Some(&h1)).await.unwrap());
        assert!(!verify("wrong horse battery", Some(&h1)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(!verify("not a real password, only for timing", None).await.unwrap());
    }
}
