//! Argon2id password hashing with the OWASP minimum (m = 19 MiB, t = 2, p = 1).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("static Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing runs on a few dedicated threads behind a bounded queue. Each hash holds 19 MiB, so
/// unbounded concurrency (a burst of registrations) once took the server to 4.4 GB; with a
/// fixed set of threads the memory stays bounded by `workers × 19 MiB` and is reused.
struct HashPool {
    jobs: std::sync::mpsc::SyncSender<Job>,
    /// Admission: at most `QUEUE` hashes waiting or running; the rest are told to come back.
    admission: std::sync::Arc<tokio::sync::Semaphore>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Hashes waiting or running before new ones are refused with 503.
const QUEUE: usize = 32;
/// How long a request waits for a place in the queue.
const ADMISSION_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

static POOL: std::sync::LazyLock<HashPool> = std::sync::LazyLock::new(|| {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    for n in 0..workers {
        let queue = std::sync::Arc::clone(&queue);
        std::thread::Builder::new()
            .name(format!("password-hash-{n}"))
            .spawn(move || loop {
                let job = match queue.lock() {
                    Ok(receiver) => receiver.recv(),
                    Err(poisoned) => poisoned.into_inner().recv(),
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            })
            .expect("password hashing thread starts");
    }
    HashPool {
        jobs,
        admission: std::sync::Arc::new(tokio::sync::Semaphore::new(QUEUE)),
    }
});

/// The pool is full: the caller answers 503 with `Retry-After`.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing is saturated")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

async fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let permit = tokio::time::timeout(
        ADMISSION_WAIT,
        std::sync::Arc::clone(&POOL.admission).acquire_owned(),
    )
    .await
    .map_err(|_| HashError::Busy)?
    .map_err(|e| HashError::Failed(e.to_string()))?;
    let (done, result) = tokio::sync::oneshot::channel();
    POOL.jobs
        .send(Box::new(move || {
            let _permit = permit;
            let _ = done.send(work());
        }))
        .map_err(|e| HashError::Failed(e.to_string()))?;
    result.await.map_err(|e| HashError::Failed(e.to_string()))
}

/// Hashes on the hashing pool: one hash takes tens of milliseconds of CPU.
pub async fn hash(password: String) -> Result<String, HashError> {
    on_pool(move || hash_blocking(&password))
        .await?
        .map_err(HashError::Failed)
}

pub fn hash_blocking(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Verifies against the stored PHC string, using the parameters recorded in it.
/// When there is no such user, pass `None`: a dummy hash is still computed, so the response
/// time does not reveal which user names exist.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashError> {
    on_pool(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        match PasswordHash::new(&stored) {
            Ok(parsed) => hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
}

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_blocking("not a real password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_record_argon2id_with_the_required_parameters() {
        let hash = hash_blocking("correct horse battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
    }

    #[tokio::test]
    async fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash("correct horse battery".into()).await.unwrap();
        assert!(verify("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), Some(hash))
            .await
            .unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
