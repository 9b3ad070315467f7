//! `insignia seed --members N`: realistic members, written fast, for trying the dashboard at
//! scale and for the benchmarks. Seeded members have no login (as if imported); numbering
//! continues after the members already there, so seeding twice adds more rather than clashing.

use crate::domain::event::ChangedBy;
use crate::domain::Contact;
use crate::domain::{ActivityStatus, MemberStatus, PrivacyStatus};
use crate::store::{ImportedMember, Store};
use chrono::{Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// Members written per transaction: large enough to be fast, small enough to show progress.
const BATCH: usize = 5_000;

const FIRST: &[&str] = &[
    "Ada", "Alan", "Amara", "Ana", "Ben", "Bea", "Carlos", "Chen", "Chloe", "Dara", "David", "Elena", "Emeka", "Eva",
    "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jade", "Jonas", "Kai", "Kofi", "Lara", "Leo", "Lina",
    "Marco", "Maya", "Mei", "Nadia", "Noah", "Nora", "Omar", "Olga", "Pablo", "Priya", "Quinn", "Rosa", "Ravi", "Sara",
    "Sven", "Tara", "Tomás", "Uma", "Victor", "Wen", "Yara", "Yusuf", "Zoe", "Zoltan",
];
const LAST: &[&str] = &[
    "Adams",
    "Almeida",
    "Baker",
    "Banerjee",
    "Brown",
    "Chen",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "García",
    "Green",
    "Haddad",
    "Hansen",
    "Ito",
    "Jansen",
    "Kim",
    "Kowalski",
    "Larsen",
    "López",
    "Martin",
    "Müller",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Smith",
    "Tanaka",
    "Taylor",
    "Umar",
    "Vargas",
    "Wang",
    "Weber",
    "Williams",
    "Xu",
    "Yilmaz",
    "Young",
    "Zhang",
    "Zimmermann",
];
const COMPANIES: &[&str] = &[
    "Northwind",
    "Acme Co",
    "Globex",
    "Initech",
    "Umbrella Gardens",
    "Blue Harbor",
    "Sunbeam Bakery",
    "Fieldwork Studio",
];
const JOBS: &[&str] = &[
    "Designer",
    "Teacher",
    "Nurse",
    "Engineer",
    "Chef",
    "Gardener",
    "Librarian",
    "Photographer",
    "Accountant",
    "Carpenter",
];
const TITLES: &[&str] = &[
    "Keeps the bees",
    "Weekend hiker",
    "Trail volunteer",
    "Book club host",
    "Seed swapper",
    "Night-sky watcher",
    "Bread baker",
    "Newcomer",
];

/// What a seeding run did.
#[derive(Debug, Clone, Copy)]
pub struct SeedReport {
    pub members: usize,
    pub seconds: f64,
}

/// Writes `count` members in batches, printing progress to standard error.
pub async fn seed_members(store: &Store, count: usize, seed: u64) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let first_number = store.member_counts().await?.total as usize + 1;
    let mut written = 0;
    while written < count {
        let batch: Vec<ImportedMember> =
            (0..BATCH.min(count - written)).map(|i| member(&mut rng, first_number + written + i)).collect();
        store.acting(&ChangedBy::system()).import_members(&batch).await?;
        written += batch.len();
        eprintln!("seeded {written} of {count} members ({:.1} s)", started.elapsed().as_secs_f64());
    }
    Ok(SeedReport { members: written, seconds: started.elapsed().as_secs_f64() })
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

/// Lowercase ASCII for emails and slugs ("Tomás García" → "tomas", "garcia").
fn ascii(word: &str) -> String {
    crate::domain::slugify(word).unwrap_or_else(|| "member".into())
}

fn member(rng: &mut StdRng, n: usize) -> ImportedMember {
    let (first, last) = (pick(rng, FIRST), pick(rng, LAST));
    let now = Utc::now();
    let created_at = now - Duration::seconds(rng.gen_range(0..3 * 365 * 86_400));
    let last_login_at = rng
        .gen_bool(0.8)
        .then(|| created_at + Duration::seconds(rng.gen_range(0..=(now - created_at).num_seconds().max(1))));
    let status = match rng.gen_range(0..100) {
        0..85 => MemberStatus::Approved,
        85..93 => MemberStatus::Pending,
        93..98 => MemberStatus::Blocked,
        _ => MemberStatus::Offline,
    };
    let employed = rng.gen_bool(0.6);
    ImportedMember {
        id: crate::domain::new_id(),
        login_email: format!("{}.{}.{n}@example.org", ascii(first), ascii(last)),
        status,
        privacy_status: if rng.gen_bool(0.4) { PrivacyStatus::Public } else { PrivacyStatus::Private },
        activity_status: if rng.gen_bool(0.03) { ActivityStatus::Muted } else { ActivityStatus::Active },
        nickname: rng.gen_bool(0.5).then(|| format!("{first} {}", &last[..1])),
        slug: format!("{}-{}-{n}", ascii(first), ascii(last)),
        title: rng.gen_bool(0.3).then(|| pick(rng, TITLES).to_owned()),
        contact: Contact {
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            company: employed.then(|| pick(rng, COMPANIES).to_owned()),
            job_title: employed.then(|| pick(rng, JOBS).to_owned()),
            birthdate: rng.gen_bool(0.3).then(|| {
                format!("{}-{:02}-{:02}", rng.gen_range(1950..2006), rng.gen_range(1..=12), rng.gen_range(1..=28))
            }),
            phones: if rng.gen_bool(0.5) {
                vec![format!("+1 555 {:03} {:04}", rng.gen_range(0..1000), rng.gen_range(0..10_000))]
            } else {
                Vec::new()
            },
            emails: Vec::new(),
            addresses: Vec::new(),
        },
        created_at,
        last_login_at,
    }
}
