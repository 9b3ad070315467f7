//! `JobStore` for either backend, written once like `shared::impl_store!` and with the same
//! backend helpers (`id`, `ts`, `LIKE`, `LOCK_JOB`, `begin_write`, `uuid_col`, `unique_violation`).

macro_rules! impl_job_store {
    ($store:ty, $row:ty) => {
        const JOB_SELECT: &str = "select j.id, j.badge_id, b.title as badge_title, j.action, j.source, j.status,
                j.total, j.processed, j.succeeded, j.unchanged, j.failed, j.error, j.created_at, j.finished_at
            from assignment_jobs j join badges b on b.id = j.badge_id";

        fn job_from_row(row: &$row) -> Result<Job, sqlx::Error> {
            let bad = |col: &str| sqlx::Error::ColumnDecode { index: col.into(), source: "unknown value".into() };
            Ok(Job {
                id: uuid_col(row, "id")?,
                badge_id: uuid_col(row, "badge_id")?,
                badge_title: row.try_get("badge_title")?,
                action: JobAction::parse(row.try_get("action")?).ok_or_else(|| bad("action"))?,
                from_import: row.try_get::<&str, _>("source")? == "LIST",
                status: JobStatus::parse(row.try_get("status")?).ok_or_else(|| bad("status"))?,
                total: row.try_get("total")?,
                processed: row.try_get("processed")?,
                succeeded: row.try_get("succeeded")?,
                unchanged: row.try_get("unchanged")?,
                failed: row.try_get("failed")?,
                error: row.try_get("error")?,
                created_at: row.try_get("created_at")?,
                finished_at: row.try_get("finished_at")?,
            })
        }

        /// Binds the values `member_sql::member_where` produced, in order.
        macro_rules! bind_member_values {
            ($q:expr, $values:expr) => {{
                let mut q = $q;
                for value in $values {
                    q = match value {
                        member_sql::Value::Text(text) => q.bind(text),
                        member_sql::Value::Id(uuid) => q.bind(id(uuid)),
                    };
                }
                q
            }};
        }

        /// " where " or " and ", whichever continues `filter` (empty or starting with "where").
        fn and_or_where(filter: &str) -> &'static str {
            if filter.is_empty() { " where " } else { " and " }
        }

        #[async_trait]
        impl JobStore for $store {
            async fn count_members(&self, query: &MemberQuery) -> StoreResult<i64> {
                let (filter, values) = member_sql::member_where(query, LIKE);
                let sql = format!("select count(*) from members m {filter}");
                Ok(bind_member_values!(sqlx::query_scalar::<_, i64>(&sql), values).fetch_one(&self.pool).await?)
            }

            async fn create_job(&self, new: &NewJob) -> StoreResult<JobStart> {
                let mut tx = self.begin_write().await?;
                let badge = sqlx::query("select 1 from badges where id = $1").bind(id(new.badge_id)).fetch_optional(&mut *tx).await?;
                if badge.is_none() {
                    return Ok(JobStart::BadgeNotFound);
                }
                let running = format!("{JOB_SELECT} where j.badge_id = $1 and j.status = 'RUNNING'");
                if let Some(row) = sqlx::query(&running).bind(id(new.badge_id)).fetch_optional(&mut *tx).await? {
                    return Ok(JobStart::AlreadyRunning(job_from_row(&row)?));
                }
                let (source, filter, total) = match &new.source {
                    JobSource::Filter(query) => {
                        let (filter, values) = member_sql::member_where(query, LIKE);
                        let sql = format!("select count(*) from members m {filter}");
                        let total = bind_member_values!(sqlx::query_scalar::<_, i64>(&sql), values).fetch_one(&mut *tx).await?;
                        let json = serde_json::to_string(query).map_err(|e| sqlx::Error::Encode(e.into()))?;
                        ("FILTER", Some(json), total)
                    }
                    JobSource::List(items) => ("LIST", None, items.len() as i64),
                };
                let job_id = Uuid::new_v4();
                sqlx::query(
                    "insert into assignment_jobs (id, badge_id, action, source, filter, reason, created_by, status, total, created_at)
                     values ($1, $2, $3, $4, $5, $6, $7, 'RUNNING', $8, $9)",
                )
                .bind(id(job_id))
                .bind(id(new.badge_id))
                .bind(new.action.as_str())
                .bind(source)
                .bind(filter)
                .bind(new.reason.as_deref())
                .bind(new.created_by.map(id))
                .bind(total)
                .bind(ts(Utc::now()))
                .execute(&mut *tx)
                .await
                .map_err(unique_violation)
                .map_err(|e| match e {
                    // another instance started a run for this badge a moment ago
                    StoreError::Unique(_) => StoreError::Unique("assignment_jobs_one_running".into()),
                    other => other,
                })?;
                if let JobSource::List(items) = &new.source {
                    for chunk in items.chunks(500) {
                        let rows: Vec<String> = (0..chunk.len())
                            .map(|i| format!("($1, ${}, ${}, ${})", 3 * i + 2, 3 * i + 3, 3 * i + 4))
                            .collect();
                        let sql = format!("insert into assignment_job_items (job_id, line, member_id, reason) values {}", rows.join(", "));
                        let mut q = sqlx::query(&sql).bind(id(job_id));
                        for item in chunk {
                            q = q.bind(item.line).bind(id(item.member_id)).bind(item.reason.as_deref());
                        }
                        q.execute(&mut *tx).await?;
                    }
                }
                let row = sqlx::query(&format!("{JOB_SELECT} where j.id = $1")).bind(id(job_id)).fetch_one(&mut *tx).await?;
                let job = job_from_row(&row)?;
                tx.commit().await?;
                Ok(JobStart::Started(job))
            }

            async fn job(&self, job_id: Uuid) -> StoreResult<Option<Job>> {
                let row = sqlx::query(&format!("{JOB_SELECT} where j.id = $1")).bind(id(job_id)).fetch_optional(&self.pool).await?;
                Ok(row.as_ref().map(job_from_row).transpose()?)
            }

            async fn recent_jobs(&self, limit: i64) -> StoreResult<Vec<Job>> {
                let rows = sqlx::query(&format!("{JOB_SELECT} order by j.created_at desc, j.id limit $1"))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(job_from_row).collect::<Result<_, _>>()?)
            }

            async fn running_jobs(&self) -> StoreResult<Vec<Uuid>> {
                let rows = sqlx::query("select id from assignment_jobs where status = 'RUNNING' order by created_at")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.iter().map(|r| uuid_col(r, "id")).collect::<Result<_, _>>()?)
            }

            async fn run_job_batch(&self, job_id: Uuid, batch: i64) -> StoreResult<Option<Job>> {
                let mut tx = self.begin_write().await?;
                let Some(job) = sqlx::query(&format!(
                    "select badge_id, action, source, filter, reason, created_by, status, done_through
                     from assignment_jobs where id = $1 {LOCK_JOB}"
                ))
                .bind(id(job_id))
                .fetch_optional(&mut *tx)
                .await?
                else {
                    return Ok(None);
                };
                if job.try_get::<&str, _>("status")? != "RUNNING" {
                    drop(tx);
                    return self.job(job_id).await;
                }
                let badge_id = uuid_col(&job, "badge_id")?;
                // strictly: a corrupt action must stop the run, never be taken for "remove"
                let action = JobAction::parse(job.try_get("action")?)
                    .ok_or_else(|| sqlx::Error::ColumnDecode { index: "action".into(), source: "unknown action".into() })?;
                let reason: Option<String> = job.try_get("reason")?;
                let created_by = opt_uuid_col(&job, "created_by")?;
                let done_through: Option<String> = job.try_get("done_through")?;
                let decode = |col: &str, e: String| sqlx::Error::ColumnDecode { index: col.into(), source: e.into() };

                // the next batch: (member, reason) pairs and where the batch ends
                let mut members: Vec<(Uuid, Option<String>)> = Vec::new();
                let mut last = None::<String>;
                let from_members_table = job.try_get::<&str, _>("source")? == "FILTER";
                if from_members_table {
                    let filter: String = job.try_get::<Option<String>, _>("filter")?.unwrap_or_default();
                    let query: MemberQuery = serde_json::from_str(&filter).map_err(|e| decode("filter", e.to_string()))?;
                    let (filter, values) = member_sql::member_where(&query, LIKE);
                    let mut n = values.len();
                    let mut sql = format!("select m.id from members m {filter}");
                    let after = match &done_through {
                        Some(cursor) => Some(Uuid::parse_str(cursor).map_err(|e| decode("done_through", e.to_string()))?),
                        None => None,
                    };
                    if after.is_some() {
                        n += 1;
                        sql.push_str(&format!("{}m.id > ${n}", and_or_where(&filter)));
                    }
                    sql.push_str(&format!(" order by m.id limit ${}", n + 1));
                    let mut q = bind_member_values!(sqlx::query(&sql), values);
                    if let Some(after) = after {
                        q = q.bind(id(after));
                    }
                    for row in q.bind(batch).fetch_all(&mut *tx).await? {
                        let member = uuid_col(&row, "id")?;
                        members.push((member, reason.clone()));
                        last = Some(member.to_string());
                    }
                } else {
                    let after: i64 = done_through.as_deref().map(str::parse).transpose().map_err(|e: std::num::ParseIntError| decode("done_through", e.to_string()))?.unwrap_or(0);
                    let rows = sqlx::query(
                        "select line, member_id, reason from assignment_job_items where job_id = $1 and line > $2 order by line limit $3",
                    )
                    .bind(id(job_id))
                    .bind(after)
                    .bind(batch)
                    .fetch_all(&mut *tx)
                    .await?;
                    for row in rows {
                        let own: Option<String> = row.try_get("reason")?;
                        members.push((uuid_col(&row, "member_id")?, own.or_else(|| reason.clone())));
                        last = Some(row.try_get::<i64, _>("line")?.to_string());
                    }
                }

                // members can be deleted after an import was matched: those fail (a filter batch
                // was just read from the members table, in this transaction)
                let existing: std::collections::HashSet<Uuid> = if members.is_empty() || from_members_table {
                    members.iter().map(|(m, _)| *m).collect()
                } else {
                    let marks: Vec<String> = (1..=members.len()).map(|i| format!("${i}")).collect();
                    let sql = format!("select id from members where id in ({})", marks.join(", "));
                    let mut q = sqlx::query(&sql);
                    for (member, _) in &members {
                        q = q.bind(id(*member));
                    }
                    q.fetch_all(&mut *tx).await?.iter().map(|r| uuid_col(r, "id")).collect::<Result<_, _>>()?
                };
                let present: Vec<&(Uuid, Option<String>)> = members.iter().filter(|(m, _)| existing.contains(m)).collect();
                let changed = if present.is_empty() {
                    0
                } else if action == JobAction::Assign {
                    let rows: Vec<String> = (0..present.len())
                        .map(|i| format!("(${}, $1, ${}, $2, ${}, $3, $3)", 3 * i + 4, 3 * i + 5, 3 * i + 6))
                        .collect();
                    let sql = format!(
                        "insert into badge_assignments (id, badge_id, member_id, assigned_by, reason, created_at, updated_at)
                         values {} on conflict (badge_id, member_id) do nothing",
                        rows.join(", ")
                    );
                    let mut q = sqlx::query(&sql).bind(id(badge_id)).bind(created_by.map(id)).bind(ts(Utc::now()));
                    for (member, reason) in &present {
                        q = q.bind(id(Uuid::new_v4())).bind(id(*member)).bind(reason.as_deref());
                    }
                    q.execute(&mut *tx).await?.rows_affected() as i64
                } else {
                    let marks: Vec<String> = (0..present.len()).map(|i| format!("${}", i + 2)).collect();
                    let sql = format!("delete from badge_assignments where badge_id = $1 and member_id in ({})", marks.join(", "));
                    let mut q = sqlx::query(&sql).bind(id(badge_id));
                    for (member, _) in &present {
                        q = q.bind(id(*member));
                    }
                    q.execute(&mut *tx).await?.rows_affected() as i64
                };
                let finished = (members.len() as i64) < batch;
                sqlx::query(
                    "update assignment_jobs set processed = processed + $2, succeeded = succeeded + $3,
                        unchanged = unchanged + $4, failed = failed + $5, done_through = coalesce($6, done_through),
                        status = case when $7 then 'DONE' else status end,
                        finished_at = case when $7 then $8 else finished_at end
                     where id = $1",
                )
                .bind(id(job_id))
                .bind(members.len() as i64)
                .bind(changed)
                .bind(present.len() as i64 - changed)
                .bind((members.len() - present.len()) as i64)
                .bind(last)
                .bind(finished)
                .bind(ts(Utc::now()))
                .execute(&mut *tx)
                .await?;
                let row = sqlx::query(&format!("{JOB_SELECT} where j.id = $1")).bind(id(job_id)).fetch_one(&mut *tx).await?;
                let job = job_from_row(&row)?;
                tx.commit().await?;
                Ok(Some(job))
            }

            async fn fail_job(&self, job_id: Uuid, error: &str) -> StoreResult<()> {
                sqlx::query("update assignment_jobs set status = 'FAILED', error = $2, finished_at = $3 where id = $1 and status = 'RUNNING'")
                    .bind(id(job_id))
                    .bind(error)
                    .bind(ts(Utc::now()))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn members_by_email_or_slug(&self, values: &[String]) -> StoreResult<Vec<(String, Uuid)>> {
                let mut found = Vec::new();
                for chunk in values.chunks(500) {
                    let lowered: Vec<String> = chunk.iter().map(|v| v.trim().to_lowercase()).collect();
                    let marks: Vec<String> = (1..=lowered.len()).map(|i| format!("${i}")).collect();
                    let marks = marks.join(", ");
                    // login emails and slugs are stored lowercased, so both use their indexes
                    let sql = format!("select id, login_email, slug from members where login_email in ({marks}) or slug in ({marks})");
                    let mut q = sqlx::query(&sql);
                    for value in &lowered {
                        q = q.bind(value.as_str());
                    }
                    let mut by_key = std::collections::HashMap::new();
                    for row in q.fetch_all(&self.pool).await? {
                        let member = uuid_col(&row, "id")?;
                        if let Some(email) = row.try_get::<Option<String>, _>("login_email")? {
                            by_key.insert(email, member);
                        }
                        by_key.insert(row.try_get::<String, _>("slug")?, member);
                    }
                    for (value, key) in chunk.iter().zip(&lowered) {
                        if let Some(member) = by_key.get(key) {
                            found.push((value.clone(), *member));
                        }
                    }
                }
                Ok(found)
            }
        }
    };
}
pub(super) use impl_job_store;
