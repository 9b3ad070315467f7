//! The site's settings: a key/value table, read and written whole.

use super::sql::sql;
use super::{Store, StoreResult};
use crate::domain::SiteSettings;

impl Store {
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn settings(&self) -> StoreResult<SiteSettings> {
        let pairs: Vec<(String, String)> = sql("select key, value from settings").fetch_all(&self.pool).await?;
        Ok(SiteSettings::from_pairs(pairs))
    }

    /// Writes every setting in one transaction.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
        let mut tx = self.pool.begin_write().await?;
        for (key, value) in settings.to_pairs() {
            sql("insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value")
                .bind(key)
                .bind(value)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// A secret of the site's if it has been made; for secrets costly to make (a key pair),
    /// read before making one for `site_secret`.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn known_site_secret(&self, name: &str) -> StoreResult<Option<String>> {
        let known: Option<(String,)> = sql("select value from settings where key = $1")
            .bind(format!("secret.{name}"))
            .fetch_optional(&self.pool)
            .await?;
        Ok(known.map(|(value,)| value))
    }

    /// A secret of the site's, made from `fresh` on first use and the same afterwards for every
    /// instance sharing the database (e.g. the key that signs REST paging cursors). Kept beside
    /// the settings, which ignore keys they do not know.
    #[tracing::instrument(level = "warn", skip_all, err(level = "warn"))]
    pub async fn site_secret(&self, name: &str, fresh: &str) -> StoreResult<String> {
        let key = format!("secret.{name}");
        let known: Option<(String,)> =
            sql("select value from settings where key = $1").bind(&key).fetch_optional(&self.pool).await?;
        if let Some((value,)) = known {
            return Ok(value);
        }
        // first use; of two instances making it at once, the first to write wins for both
        sql("insert into settings (key, value) values ($1, $2) on conflict (key) do nothing")
            .bind(&key)
            .bind(fresh)
            .execute(&self.pool)
            .await?;
        Ok(sql("select value from settings where key = $1").bind(&key).fetch_scalar(&self.pool).await?)
    }
}
