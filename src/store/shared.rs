//! The one implementation of `Store`, written for either backend by `impl_store!`. The SQL
//! uses only what both databases accept; what really differs lives in each backend module as
//! the few helpers called here: `id` and `ts` (how a UUID and a timestamp are bound), `LIKE`
//! (the case-insensitive LIKE), `self.begin_write()`, `lock_badge_order` and `LOCK_ROW` (how
//! concurrent writers are kept apart), `unique_violation`, `uuid_col` and `opt_uuid_col`.
//! `shared_helpers!` adds the row decoders and badge helpers for the backend's row and
//! connection types.

macro_rules! impl_store {
    ($store:ty) => {
        #[async_trait]
        impl Store for $store {
        async fn reorder_badges(
            &self,
            reorder: &crate::domain::badge_order::Reorder,
        ) -> StoreResult<Result<(), crate::domain::badge_order::OrderError>> {
            let mut tx = self.begin_write().await?;
            lock_badge_order(&mut tx).await?;
            let order: Vec<Uuid> = sqlx::query("select id from badges order by position, id")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| uuid_col(row, "id"))
                .collect::<Result<_, _>>()?;
            let new_order = match reorder.apply(&order) {
                Ok(o) => o,
                Err(e) => return Ok(Err(e)),
            };
            debug_assert_eq!(new_order.len(), order.len());
            // positions are 1..n; only rows whose place changed are written
            for (index, (badge_id, old)) in new_order.iter().zip(order.iter()).enumerate() {
                if badge_id != old {
                    sqlx::query("update badges set position = $1 where id = $2")
                        .bind(index as i64 + 1)
                        .bind(id(*badge_id))
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(Ok(()))
        }

        async fn badge_by_slug(&self, slug: &str) -> StoreResult<Option<BadgeRecord>> {
            let row = sqlx::query(&format!("{BADGE_SELECT} where b.slug = $1")).bind(slug).fetch_optional(&self.pool).await?;
            Ok(row.as_ref().map(badge_from_row).transpose()?)
        }

        async fn badge_holders(
            &self,
            badge_id: Uuid,
            public_only: bool,
            limit: i64,
            offset: i64,
        ) -> StoreResult<Vec<(MemberRecord, DateTime<Utc>)>> {
            let visible = if public_only { "and m.privacy_status = 'PUBLIC' and m.status = 'APPROVED'" } else { "" };
            let rows = sqlx::query(&format!(
                "select {}, a.created_at as assigned_at
                 from badge_assignments a join members m on m.id = a.member_id
                 where a.badge_id = $1 {visible}
                 order by a.created_at desc, m.id limit $2 offset $3",
                member_columns!()
            ))
            .bind(id(badge_id))
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
            let holders = rows
                .iter()
                .map(|row| -> Result<_, sqlx::Error> { Ok((member_from_row(row)?, row.try_get("assigned_at")?)) })
                .collect::<Result<_, _>>()?;
            Ok(holders)
        }

        async fn assign_badge(
            &self,
            badge_id: Uuid,
            member_ids: &[Uuid],
            assigned_by: Option<Uuid>,
            reason: Option<&str>,
        ) -> StoreResult<Option<Vec<AssignOutcome>>> {
            let mut tx = self.begin_write().await?;
            let badge_exists = sqlx::query("select 1 from badges where id = $1").bind(id(badge_id)).fetch_optional(&mut *tx).await?;
            if badge_exists.is_none() {
                return Ok(None);
            }
            let now = ts(Utc::now());
            let mut outcomes = Vec::with_capacity(member_ids.len());
            for &member_id in member_ids {
                let new_id = Uuid::new_v4();
                // the WHERE also keeps SQLite from reading ON CONFLICT as part of the SELECT
                let inserted = sqlx::query(
                    "insert into badge_assignments (id, badge_id, member_id, assigned_by, reason, created_at, updated_at)
                     select $1, $2, $3, $4, $5, $6, $6 where exists (select 1 from members where id = $3)
                     on conflict (badge_id, member_id) do nothing",
                )
                .bind(id(new_id))
                .bind(id(badge_id))
                .bind(id(member_id))
                .bind(assigned_by.map(id))
                .bind(reason)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
                let outcome = if inserted.rows_affected() == 1 {
                    AssignOutcome::Assigned(new_id)
                } else {
                    let existing = sqlx::query("select id from badge_assignments where badge_id = $1 and member_id = $2")
                        .bind(id(badge_id))
                        .bind(id(member_id))
                        .fetch_optional(&mut *tx)
                        .await?;
                    match existing {
                        Some(row) => AssignOutcome::AlreadyHeld(uuid_col(&row, "id")?),
                        None => AssignOutcome::MemberNotFound,
                    }
                };
                outcomes.push(outcome);
            }
            tx.commit().await?;
            Ok(Some(outcomes))
        }

        async fn unassign_badge(&self, badge_id: Uuid, member_ids: &[Uuid]) -> StoreResult<Vec<UnassignOutcome>> {
            let mut tx = self.begin_write().await?;
            let mut outcomes = Vec::with_capacity(member_ids.len());
            for &member_id in member_ids {
                let removed = sqlx::query("delete from badge_assignments where badge_id = $1 and member_id = $2 returning id")
                    .bind(id(badge_id))
                    .bind(id(member_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                outcomes.push(match removed {
                    Some(row) => UnassignOutcome::Removed(uuid_col(&row, "id")?),
                    None => UnassignOutcome::NotHeld,
                });
            }
            tx.commit().await?;
            Ok(outcomes)
        }

            async fn update_badge(&self, badge_id: Uuid, expected_revision: i64, changes: &BadgeChanges) -> StoreResult<BadgeUpdate> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(&format!("{BADGE_SELECT} where b.id = $1 {LOCK_ROW}"))
                    .bind(id(badge_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(current) = row.as_ref().map(badge_from_row).transpose()? else {
                    return Ok(BadgeUpdate::NotFound);
                };
                if current.revision != expected_revision {
                    return Ok(BadgeUpdate::Stale { current_revision: current.revision });
                }
                let (next, title_changed) = apply_changes(&current, changes);
                let slug = if title_changed {
                    free_badge_slug(&mut tx, &badge_base_slug(&next.title), Some(badge_id)).await?
                } else {
                    current.slug.clone()
                };
                let (icon_kind, icon_value, icon_alt) = icon_columns(&next.icon);
                sqlx::query(
                    "update badges set revision = revision + 1, title = $1, description = $2, background_color = $3,
                         text_color = $4, icon_kind = $5, icon_value = $6, icon_alt = $7, permissions_enabled = $8,
                         slug = $9, updated_at = $10
                     where id = $11 and revision = $12",
                )
                .bind(&next.title)
                .bind(&next.description)
                .bind(&next.background_color)
                .bind(&next.text_color)
                .bind(icon_kind)
                .bind(icon_value)
                .bind(icon_alt)
                .bind(next.permissions_enabled)
                .bind(&slug)
                .bind(ts(Utc::now()))
                .bind(id(badge_id))
                .bind(expected_revision)
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)?;
                // read back inside the transaction: after the commit a concurrent delete could
                // already have removed it
                let row = sqlx::query(&format!("{BADGE_SELECT} where b.id = $1")).bind(id(badge_id)).fetch_one(&mut *tx).await?;
                let updated = badge_from_row(&row)?;
                tx.commit().await?;
                Ok(BadgeUpdate::Updated(Box::new(updated)))
            }

            async fn create_member_account(&self, new: &NewMemberAccount) -> StoreResult<AccountRecord> {
                let now = ts(Utc::now());
                let (account_id, member_id) = (Uuid::new_v4(), Uuid::new_v4());
                let mut tx = self.begin_write().await?;
                let taken: Vec<String> = sqlx::query_scalar(
                    "select slug from members where slug = $1 or slug like $1 || '-%'",
                )
                .bind(&new.base_slug)
                .fetch_all(&mut *tx)
                .await?;
                let slug = first_free_slug(&new.base_slug, &taken);
                sqlx::query(
                    "insert into members (id, login_email, status, slug, nickname, created_at, updated_at)
                     values ($1, $2, $3, $4, $6, $5, $5)",
                )
                .bind(id(member_id))
                .bind(new.email.as_str())
                .bind(new.status.as_str())
                .bind(&slug)
                .bind(&now)
                .bind(&new.nickname)
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)?;
                sqlx::query(
                    "insert into accounts (id, email, password_hash, role, member_id, created_at)
                     values ($1, $2, $3, 'member', $4, $5)",
                )
                .bind(id(account_id))
                .bind(new.email.as_str())
                .bind(&new.password_hash)
                .bind(id(member_id))
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)?;
                let row = sqlx::query(&format!("{ACCOUNT_SELECT} where a.id = $1")).bind(id(account_id)).fetch_one(&mut *tx).await?;
                let account = account_from_row(&row)?;
                tx.commit().await?;
                Ok(account)
            }

            async fn member_counts(&self) -> StoreResult<MemberCounts> {
                let (total, pending, public): (i64, i64, i64) = sqlx::query_as(
                    "select count(*),
                            coalesce(sum(case when status = 'PENDING' then 1 else 0 end), 0),
                            coalesce(sum(case when privacy_status = 'PUBLIC' and status = 'APPROVED' then 1 else 0 end), 0)
                     from members",
                )
                .fetch_one(&self.pool)
                .await?;
                Ok(MemberCounts { total, pending, public })
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("select 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn owner_exists(&self) -> StoreResult<bool> {
                let n: i64 = sqlx::query_scalar("select count(*) from accounts where role = 'owner'")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n > 0)
            }

            async fn create_owner(&self, email: &Email, password_hash: &str) -> StoreResult<AccountRecord> {
                let account_id = Uuid::new_v4();
                sqlx::query(
                    "insert into accounts (id, email, password_hash, role, member_id, created_at)
                     values ($1, $2, $3, 'owner', null, $4)",
                )
                .bind(id(account_id))
                .bind(email.as_str())
                .bind(password_hash)
                .bind(ts(Utc::now()))
                .execute(&self.pool)
                .await
                .map_err(unique_violation)?;
                // a missing row here means it was deleted in the instant since: not found, not a panic
                self.account_by_id(account_id).await?.ok_or(StoreError::Database(sqlx::Error::RowNotFound))
            }

            async fn account_by_email(&self, email: &Email) -> StoreResult<Option<AccountRecord>> {
                let row = sqlx::query(&format!("{ACCOUNT_SELECT} where a.email = $1"))
                    .bind(email.as_str())
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.as_ref().map(account_from_row).transpose()?)
            }

            async fn account_by_id(&self, account_id: Uuid) -> StoreResult<Option<AccountRecord>> {
                let row = sqlx::query(&format!("{ACCOUNT_SELECT} where a.id = $1"))
                    .bind(id(account_id))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.as_ref().map(account_from_row).transpose()?)
            }

            async fn record_login(&self, account_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
                sqlx::query(
                    "update members set last_login_at = $1
                     where id = (select member_id from accounts where id = $2)",
                )
                .bind(ts(at))
                .bind(id(account_id))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn create_session(
                &self,
                token_hash: &str,
                account_id: Uuid,
                expires_at: DateTime<Utc>,
            ) -> StoreResult<()> {
                sqlx::query(
                    "insert into sessions (token_hash, account_id, created_at, expires_at) values ($1, $2, $3, $4)",
                )
                .bind(token_hash)
                .bind(id(account_id))
                .bind(ts(Utc::now()))
                .bind(ts(expires_at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session_account(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<AccountRecord>> {
                let row = sqlx::query(&format!(
                    "{ACCOUNT_SELECT} join sessions s on s.account_id = a.id
                     where s.token_hash = $1 and s.expires_at > $2"
                ))
                .bind(token_hash)
                .bind(ts(now))
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.as_ref().map(account_from_row).transpose()?)
            }

            async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                sqlx::query("delete from sessions where token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_sessions_of(&self, account_id: Uuid) -> StoreResult<u64> {
                let done = sqlx::query("delete from sessions where account_id = $1").bind(id(account_id)).execute(&self.pool).await?;
                Ok(done.rows_affected())
            }

            async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
                let done = sqlx::query("delete from sessions where expires_at <= $1")
                    .bind(ts(now))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn record_login_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
                sqlx::query("insert into login_failures (key, failed_at) values ($1, $2)")
                    .bind(key)
                    .bind(ts(at))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn login_failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<i64> {
                Ok(sqlx::query_scalar("select count(*) from login_failures where key = $1 and failed_at > $2")
                    .bind(key)
                    .bind(ts(since))
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
                sqlx::query("delete from login_failures where key = $1")
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_login_failures_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
                let done = sqlx::query("delete from login_failures where failed_at < $1")
                    .bind(ts(before))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn settings(&self) -> StoreResult<SiteSettings> {
                let rows: Vec<(String, String)> = sqlx::query_as("select key, value from settings")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(SiteSettings::from_pairs(rows))
            }

            async fn save_settings(&self, settings: &SiteSettings) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                for (key, value) in settings.to_pairs() {
                    sqlx::query(
                        "insert into settings (key, value) values ($1, $2)
                         on conflict (key) do update set value = excluded.value",
                    )
                    .bind(key)
                    .bind(value)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn list_members(&self, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>> {
                let rows = sqlx::query(&format!("{MEMBER_SELECT} order by created_at desc, id limit $1 offset $2"))
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
            }

            async fn list_public_members(&self, search: Option<&str>, limit: i64, offset: i64) -> StoreResult<Vec<MemberRecord>> {
                let pattern = member_sql::like_pattern(search);
                let search_sql = if pattern.is_some() {
                    format!("and (m.nickname {LIKE} $3 escape '\\' or m.slug {LIKE} $3 escape '\\')")
                } else {
                    String::new()
                };
                let rows = sqlx::query(&format!(
                    "{MEMBER_SELECT} where m.privacy_status = 'PUBLIC' and m.status = 'APPROVED' {search_sql}
                     order by m.slug limit $1 offset $2"
                ))
                .bind(limit)
                .bind(offset)
                .bind(pattern)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
            }

            async fn set_member_privacy(&self, member_id: Uuid, privacy: PrivacyStatus) -> StoreResult<()> {
                sqlx::query("update members set privacy_status = $1, updated_at = $2 where id = $3")
                    .bind(privacy.as_str())
                    .bind(ts(Utc::now()))
                    .bind(id(member_id))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn query_members(&self, query: &MemberQuery) -> StoreResult<Vec<MemberRecord>> {
                let (filter, values) = member_sql::member_where(query, LIKE);
                let n = values.len();
                let sql = format!(
                    "{MEMBER_SELECT} {filter} order by {} limit ${} offset ${}",
                    member_sql::member_order(query.sort),
                    n + 1,
                    n + 2
                );
                let mut q = sqlx::query(&sql);
                for value in values {
                    q = match value {
                        member_sql::Value::Text(text) => q.bind(text),
                        member_sql::Value::Id(uuid) => q.bind(id(uuid)),
                    };
                }
                let rows = q.bind(query.limit).bind(query.offset).fetch_all(&self.pool).await?;
                Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
            }

            async fn member(&self, member_id: Uuid) -> StoreResult<Option<MemberRecord>> {
                let row = sqlx::query(&format!("{MEMBER_SELECT} where m.id = $1")).bind(id(member_id)).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(member_from_row).transpose()?)
            }

            async fn member_by_slug(&self, slug: &str) -> StoreResult<Option<MemberRecord>> {
                let row = sqlx::query(&format!("{MEMBER_SELECT} where m.slug = $1")).bind(slug).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(member_from_row).transpose()?)
            }

            async fn update_member(&self, member_id: Uuid, changes: &MemberChanges) -> StoreResult<Option<MemberRecord>> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(&format!("{MEMBER_SELECT} where m.id = $1 {LOCK_MEMBER}"))
                    .bind(id(member_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(mut next) = row.as_ref().map(member_from_row).transpose()? else {
                    return Ok(None);
                };
                if let Some(v) = &changes.nickname {
                    next.nickname = v.clone();
                }
                if let Some(v) = &changes.title {
                    next.title = v.clone();
                }
                if let Some(v) = &changes.slug {
                    next.slug = v.clone();
                }
                if let Some(v) = &changes.contact {
                    next.contact = v.clone();
                }
                next.updated_at = Utc::now();
                let (phones, emails, addresses) = member_sql::contact_lists(&next.contact);
                let c = &next.contact;
                sqlx::query(
                    // the photo is not written: it changes only through set_member_photo, so a
                    // save racing the member's photo removal cannot bring the photo back
                    "update members set nickname = $1, title = $2, slug = $3, first_name = $4,
                         last_name = $5, company = $6, job_title = $7, birthdate = $8, phones = $9, emails = $10,
                         addresses = $11, updated_at = $12
                     where id = $13",
                )
                .bind(&next.nickname)
                .bind(&next.title)
                .bind(&next.slug)
                .bind(&c.first_name)
                .bind(&c.last_name)
                .bind(&c.company)
                .bind(&c.job_title)
                .bind(&c.birthdate)
                .bind(phones)
                .bind(emails)
                .bind(addresses)
                .bind(ts(next.updated_at))
                .bind(id(member_id))
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)?;
                tx.commit().await?;
                Ok(Some(next))
            }

            async fn set_member_photo(&self, member_id: Uuid, photo: Option<Uuid>) -> StoreResult<Option<MemberRecord>> {
                let mut tx = self.begin_write().await?;
                let old = sqlx::query(&format!("select m.photo_id from members m where m.id = $1 {LOCK_MEMBER}"))
                    .bind(id(member_id))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(old) = old else {
                    return Ok(None);
                };
                let old = opt_uuid_col(&old, "photo_id")?;
                sqlx::query("update members set photo_id = $1, updated_at = $2 where id = $3")
                    .bind(photo.map(id))
                    .bind(ts(Utc::now()))
                    .bind(id(member_id))
                    .execute(&mut *tx)
                    .await?;
                if let Some(old) = old.filter(|old| Some(*old) != photo) {
                    sqlx::query("delete from uploads where id = $1").bind(id(old)).execute(&mut *tx).await?;
                }
                let row = sqlx::query(&format!("{MEMBER_SELECT} where m.id = $1")).bind(id(member_id)).fetch_one(&mut *tx).await?;
                let member = member_from_row(&row)?;
                tx.commit().await?;
                Ok(Some(member))
            }

            async fn set_member_status(&self, member_id: Uuid, status: MemberStatus) -> StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("update members set status = $1, updated_at = $2 where id = $3")
                    .bind(status.as_str())
                    .bind(ts(Utc::now()))
                    .bind(id(member_id))
                    .execute(&mut *tx)
                    .await?;
                if status == MemberStatus::Blocked {
                    sqlx::query("delete from sessions where account_id in (select id from accounts where member_id = $1)")
                        .bind(id(member_id))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn set_member_activity(&self, member_id: Uuid, activity: ActivityStatus) -> StoreResult<bool> {
                let done = sqlx::query("update members set activity_status = $1, updated_at = $2 where id = $3")
                    .bind(activity.as_str())
                    .bind(ts(Utc::now()))
                    .bind(id(member_id))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn delete_member(&self, member_id: Uuid) -> StoreResult<bool> {
                let mut tx = self.begin_write().await?;
                // the images go first: the member's row names its photo, and the account (which
                // the cascade removes with the member) names what it uploaded
                sqlx::query(
                    "delete from uploads where id = (select photo_id from members where id = $1)
                        or uploaded_by = (select id from accounts where member_id = $1)",
                )
                .bind(id(member_id))
                .execute(&mut *tx)
                .await?;
                let done = sqlx::query("delete from members where id = $1").bind(id(member_id)).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(done.rows_affected() > 0)
            }

            async fn import_members(&self, members: &[ImportedMember]) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                // 19 values a row; 500 rows stay far below both backends' bound-parameter limits
                for chunk in members.chunks(500) {
                    let mut insert = sqlx::QueryBuilder::new(
                        "insert into members (id, login_email, status, privacy_status, activity_status, nickname, slug, title,
                             first_name, last_name, company, job_title, birthdate, phones, emails, addresses,
                             created_at, updated_at, last_login_at) ",
                    );
                    insert.push_values(chunk, |mut row, m| {
                        let (phones, emails, addresses) = member_sql::contact_lists(&m.contact);
                        row.push_bind(id(m.id))
                            .push_bind(m.login_email.clone())
                            .push_bind(m.status.as_str())
                            .push_bind(m.privacy_status.as_str())
                            .push_bind(m.activity_status.as_str())
                            .push_bind(m.nickname.clone())
                            .push_bind(m.slug.clone())
                            .push_bind(m.title.clone())
                            .push_bind(m.contact.first_name.clone())
                            .push_bind(m.contact.last_name.clone())
                            .push_bind(m.contact.company.clone())
                            .push_bind(m.contact.job_title.clone())
                            .push_bind(m.contact.birthdate.clone())
                            .push_bind(phones)
                            .push_bind(emails)
                            .push_bind(addresses)
                            .push_bind(ts(m.created_at))
                            .push_bind(ts(m.created_at))
                            .push_bind(m.last_login_at.map(ts));
                    });
                    insert.build().execute(&mut *tx).await.map_err(unique_violation)?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn held_badges(&self, member_ids: &[Uuid]) -> StoreResult<Vec<HeldBadge>> {
                if member_ids.is_empty() {
                    return Ok(Vec::new());
                }
                let placeholders: Vec<String> = (1..=member_ids.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "select a.member_id, a.created_at as assigned_at, b.id, b.title, b.slug, b.background_color,
                            b.text_color, b.icon_kind, b.icon_value, b.icon_alt
                     from badge_assignments a join badges b on b.id = a.badge_id
                     where a.member_id in ({})
                     order by b.position, b.id",
                    placeholders.join(", ")
                );
                let mut q = sqlx::query(&sql);
                for member_id in member_ids {
                    q = q.bind(id(*member_id));
                }
                let rows = q.fetch_all(&self.pool).await?;
                let held = rows
                    .iter()
                    .map(|row| -> Result<HeldBadge, sqlx::Error> {
                        Ok(HeldBadge {
                            member_id: uuid_col(row, "member_id")?,
                            badge_id: uuid_col(row, "id")?,
                            title: row.try_get("title")?,
                            slug: row.try_get("slug")?,
                            background_color: row.try_get("background_color")?,
                            text_color: row.try_get("text_color")?,
                            icon: icon_from_columns(row.try_get("icon_kind")?, row.try_get("icon_value")?, row.try_get("icon_alt")?),
                            assigned_at: row.try_get("assigned_at")?,
                        })
                    })
                    .collect::<Result<_, _>>()?;
                Ok(held)
            }

            async fn create_badge(&self, new: &NewBadge) -> StoreResult<BadgeRecord> {
                let badge_id = Uuid::new_v4();
                let now = ts(Utc::now());
                let (icon_kind, icon_value, icon_alt) = icon_columns(&new.icon);
                let mut tx = self.begin_write().await?;
                // the new position is read from the others: two creates at once on PostgreSQL
                // would read the same maximum without this lock
                lock_badge_order(&mut tx).await?;
                let slug = free_badge_slug(&mut tx, &badge_base_slug(new.title.as_str()), None).await?;
                sqlx::query(
                    "insert into badges (id, title, description, background_color, text_color, icon_kind, icon_value,
                         icon_alt, permissions_enabled, slug, position, created_at, updated_at)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                         (select coalesce(max(position), 0) + 1 from badges), $11, $11)",
                )
                .bind(id(badge_id))
                .bind(new.title.as_str())
                .bind(new.description.as_str())
                .bind(new.background_color.to_string())
                .bind(new.text_color.to_string())
                .bind(icon_kind)
                .bind(icon_value)
                .bind(icon_alt)
                .bind(new.permissions_enabled)
                .bind(&slug)
                .bind(&now)
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)?;
                let row = sqlx::query(&format!("{BADGE_SELECT} where b.id = $1")).bind(id(badge_id)).fetch_one(&mut *tx).await?;
                let created = badge_from_row(&row)?;
                tx.commit().await?;
                Ok(created)
            }

            async fn badge(&self, badge_id: Uuid) -> StoreResult<Option<BadgeRecord>> {
                let row = sqlx::query(&format!("{BADGE_SELECT} where b.id = $1"))
                    .bind(id(badge_id))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.as_ref().map(badge_from_row).transpose()?)
            }

            async fn list_badges(&self, query: &BadgeQuery) -> StoreResult<Vec<BadgeRecord>> {
                let (filter, pattern) = badge_filter(query);
                let rows = sqlx::query(&format!("{BADGE_SELECT} {filter} order by {} limit $3 offset $4", query.order_by()))
                    .bind(pattern)
                    .bind(query.permissions_enabled)
                    .bind(query.limit)
                    .bind(query.offset)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(badge_from_row).collect::<Result<_, _>>()?)
            }

            async fn count_badges(&self, query: &BadgeQuery) -> StoreResult<i64> {
                let (filter, pattern) = badge_filter(query);
                Ok(sqlx::query_scalar(&format!("select count(*) from badges b {filter}"))
                    .bind(pattern)
                    .bind(query.permissions_enabled)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn delete_badge(&self, badge_id: Uuid) -> StoreResult<bool> {
                let done = sqlx::query("delete from badges where id = $1").bind(id(badge_id)).execute(&self.pool).await?;
                Ok(done.rows_affected() > 0)
            }

            async fn create_upload(&self, upload: &NewUpload) -> StoreResult<()> {
                sqlx::query(
                    "insert into uploads (id, content_type, bytes, byte_size, width, height, uploaded_by, created_at)
                     values ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id(upload.id))
                .bind(upload.content_type)
                .bind(&upload.bytes)
                .bind(upload.bytes.len() as i32)
                .bind(upload.width.map(|w| w as i32))
                .bind(upload.height.map(|h| h as i32))
                .bind(upload.uploaded_by.map(id))
                .bind(ts(Utc::now()))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn upload(&self, upload_id: Uuid) -> StoreResult<Option<UploadRecord>> {
                let row = sqlx::query("select content_type, bytes from uploads where id = $1")
                    .bind(id(upload_id))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row
                    .map(|r| -> Result<_, sqlx::Error> { Ok(UploadRecord { content_type: r.try_get("content_type")?, bytes: r.try_get("bytes")? }) })
                    .transpose()?)
            }

            async fn upload_exists(&self, upload_id: Uuid) -> StoreResult<bool> {
                Ok(sqlx::query_scalar::<_, i32>("select 1 from uploads where id = $1")
                    .bind(id(upload_id))
                    .fetch_optional(&self.pool)
                    .await?
                    .is_some())
            }

            async fn upload_bytes_of(&self, account_id: Uuid) -> StoreResult<i64> {
                Ok(sqlx::query_scalar("select coalesce(sum(byte_size), 0) from uploads where uploaded_by = $1")
                    .bind(id(account_id))
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn photo_owner(&self, upload_id: Uuid) -> StoreResult<Option<MemberRecord>> {
                let row = sqlx::query(&format!("{MEMBER_SELECT} where m.photo_id = $1"))
                    .bind(id(upload_id))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.as_ref().map(member_from_row).transpose()?)
            }

            async fn badge_assigners(&self, badge_id: Uuid) -> StoreResult<Vec<MemberRecord>> {
                let rows = sqlx::query(&format!(
                    "select {} from badge_assigners d join members m on m.id = d.member_id
                     where d.badge_id = $1 order by m.nickname nulls last, m.id",
                    member_columns!()
                ))
                .bind(id(badge_id))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(member_from_row).collect::<Result<_, _>>()?)
            }

            async fn add_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()> {
                sqlx::query(
                    "insert into badge_assigners (badge_id, member_id, created_at) values ($1, $2, $3)
                     on conflict (badge_id, member_id) do nothing",
                )
                .bind(id(badge_id))
                .bind(id(member_id))
                .bind(ts(Utc::now()))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn remove_badge_assigner(&self, badge_id: Uuid, member_id: Uuid) -> StoreResult<()> {
                sqlx::query("delete from badge_assigners where badge_id = $1 and member_id = $2")
                    .bind(id(badge_id))
                    .bind(id(member_id))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delegated_badges(&self, member_id: Uuid) -> StoreResult<Vec<BadgeRecord>> {
                let rows = sqlx::query(&format!(
                    "{BADGE_SELECT} join badge_assigners d on d.badge_id = b.id where d.member_id = $1 order by b.position, b.id"
                ))
                .bind(id(member_id))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.iter().map(badge_from_row).collect::<Result<_, _>>()?)
            }
        }
    };
}
pub(super) use impl_store;

/// The row decoders and helpers both backends share, written for the backend's row and
/// connection types.
macro_rules! shared_helpers {
    ($row:ty, $conn:ty) => {
        const BADGE_SELECT: &str = "select b.id, b.revision, b.title, b.description, b.background_color,
                b.text_color, b.icon_kind, b.icon_value, b.icon_alt, b.permissions_enabled, b.slug, b.position,
                b.created_at, b.updated_at, b.member_count
            from badges b";

        fn badge_from_row(row: &$row) -> Result<BadgeRecord, sqlx::Error> {
            Ok(BadgeRecord {
                id: uuid_col(row, "id")?,
                revision: row.try_get("revision")?,
                title: row.try_get("title")?,
                description: row.try_get("description")?,
                background_color: row.try_get("background_color")?,
                text_color: row.try_get("text_color")?,
                icon: icon_from_columns(row.try_get("icon_kind")?, row.try_get("icon_value")?, row.try_get("icon_alt")?),
                permissions_enabled: row.try_get("permissions_enabled")?,
                slug: row.try_get("slug")?,
                position: row.try_get("position")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
                member_count: row.try_get("member_count")?,
            })
        }

        fn account_from_row(row: &$row) -> Result<AccountRecord, sqlx::Error> {
            let role: String = row.try_get("role")?;
            Ok(AccountRecord {
                id: uuid_col(row, "id")?,
                email: row.try_get("email")?,
                role: Role::from_str(&role)
                    .map_err(|e| sqlx::Error::ColumnDecode { index: "role".into(), source: e.into() })?,
                password_hash: row.try_get("password_hash")?,
                member: if opt_uuid_col(row, "m_id")?.is_some() { Some(member_from_row(row)?) } else { None },
            })
        }

        /// The first free slug for `base`, read inside the writing transaction.
        async fn free_badge_slug(tx: &mut $conn, base: &str, except: Option<Uuid>) -> Result<String, sqlx::Error> {
            let taken: Vec<String> = sqlx::query_scalar(
                "select slug from badges where (slug = $1 or slug like $1 || '-%') and ($2 is null or id <> $2)",
            )
            .bind(base)
            .bind(except.map(id))
            .fetch_all(&mut *tx)
            .await?;
            Ok(first_free_slug(base, &taken))
        }

        /// Both conditions are always present and switched off by a null parameter, so the SQL
        /// text stays fixed and every value is bound.
        fn badge_filter(query: &BadgeQuery) -> (String, Option<String>) {
            (
                format!("where ($1 is null or b.title {LIKE} $1 escape '\\') and ($2 is null or b.permissions_enabled = $2)"),
                query.like_pattern(),
            )
        }
    };
}
pub(super) use shared_helpers;
