//! Password hashing with argon2id (the `argon2` crate's defaults: m=19 MiB, t=2, p=1, the OWASP
//! recommendation). Hashing is deliberately slow, so it never runs on the async workers; and,
//! because every login, sign-up and setup hashes, at most one hash per core runs at once, with a
//! short queue behind them: when the queue is full the caller is told to retry (429) instead of
//! the server hashing itself to a standstill.
//!
//! The hashes run on threads of their own, one per core, each with its 19 MiB working memory
//! allocated once and kept: allocating and freeing it per hash (as `hash_password` does) on the
//! blocking pool's threads left the allocator holding about 260 MiB after a flood of logins,
//! where two hashes at a time need 38.

use crate::domain::Password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{oneshot, Semaphore};

/// Hashes that may wait for a core, per core.
const QUEUE_PER_CORE: usize = 4;
pub const BUSY: &str = "The server is busy checking passwords. Try again in a few seconds.";

type Job = Box<dyn FnOnce() + Send>;

struct Limits {
    /// The hashes running or waiting to run.
    admitted: Semaphore,
    /// Work for the hashing threads, one per core, which take it in turn.
    jobs: Mutex<mpsc::Sender<Job>>,
    /// The most hashes seen running at once, for the flood test.
    #[cfg(test)]
    peak: Arc<tests::Peak>,
}

impl Limits {
    fn new(cores: usize) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..cores {
            let queue = queue.clone();
            let worker = move || loop {
                // the lock is held only while waiting for the next job, never while hashing
                let job = match queue.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    // a panicking hash fails its own call (its answer is dropped), not the thread
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return, // the limits are gone
                }
            };
            if let Err(e) = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(worker) {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Limits {
            admitted: Semaphore::new(cores * (1 + QUEUE_PER_CORE)),
            jobs: Mutex::new(jobs),
            #[cfg(test)]
            peak: Arc::default(),
        }
    }

    /// Runs one argon2 computation on a hashing thread in its turn: refused at once when the
    /// queue is full, otherwise after waiting for a thread.
    async fn run<T: Send + 'static>(&'static self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _admitted = self.admitted.try_acquire().map_err(|_| {
            tracing::warn!("password hashing queue full: refused");
            AppError::TooManyRequests(BUSY.to_owned())
        })?;
        let (done, result) = oneshot::channel();
        #[cfg(test)]
        let peak = self.peak.clone();
        let job: Job = Box::new(move || {
            #[cfg(test)]
            let _counted = peak.enter();
            let _ = done.send(work());
        });
        self.jobs.lock().map_err(|_| AppError::Internal)?.send(job).map_err(|_| AppError::Internal)?;
        result.await.map_err(|_| {
            tracing::error!("a password hashing thread stopped");
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

thread_local! {
    /// This thread's argon2 working memory, kept from one hash to the next.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2 of `password` and `salt` into `out`, in this thread's kept memory.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    MEMORY.with_borrow_mut(|memory| {
        let blocks = params.block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        // every block is written before it is read, so what a previous hash left does not matter
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut memory[..blocks],
        )
    })
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), as `PasswordHasher` writes it.
fn hash_blocking(password: &str) -> Result<String, AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    };
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| failed(&e))?;
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(Algorithm::Argon2id, Version::V0x13, params.clone(), password.as_bytes(), salt_bytes, &mut out)
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` is the one `stored` (a PHC string) was made from; compared in constant
/// time (`Output`'s equality).
fn verify_blocking(password: &str, stored: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed.version.map(Version::try_from).transpose().ok()?.unwrap_or_default();
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
        let mut out = vec![0u8; expected.len()];
        compute(algorithm, version, params, password.as_bytes(), salt, &mut out).ok()?;
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or_else(|| {
        tracing::error!("a stored password hash could not be read");
        false
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
            verify_blocking(&password, &hash) && known
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
            async move { limits.run(move || verify_blocking(password, &stored)).await }
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

    /// Hashes made by the crate's own `PasswordHasher` (all stored so far) verify here, and
    /// hashes made here verify there.
    #[test]
    fn hashes_are_the_crates_own_format() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"correct horse battery", &salt).unwrap().to_string();
        assert!(verify_blocking("correct horse battery", &theirs));
        assert!(!verify_blocking("correct horse batter", &theirs));
        let ours = hash_blocking("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok());
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        assert!(!verify("not a real password, only for timing", None).await.unwrap());
    }
}
