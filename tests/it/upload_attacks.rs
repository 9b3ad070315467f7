//! Hostile uploads: files made to exhaust the image checker are refused quickly while the
//! server keeps answering; photos are raster only, follow their member's visibility, and go
//! when they are replaced, removed or their member is deleted; accounts have a quota.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::{TestApp, TestDb, PNG};
use insignia::members::api::{DeleteMember, MyProfile, RemovePhoto, SetCommunityMembership, UploadPhoto};
use insignia::members::MemberProfile;
use insignia::uploads::api::UploadImage;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

crate::on_both_backends!(
    upload_bombs_are_refused_quickly_and_the_server_keeps_answering,
    photos_are_raster_follow_their_member_and_leave_no_copies,
    each_account_has_an_upload_quota,
);

async fn post_file(app: &TestApp, client: &reqwest::Client, path: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("f"));
    client.post(app.url(path)).multipart(form).send().await.expect("upload request")
}

/// `levels` of ten `<use>` each pointing at the level below: 10^levels copies of one path.
fn use_fan_out(levels: usize) -> Vec<u8> {
    let mut body = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><path id="l0" d="M0 0 L1 1"/>"#,
    );
    for level in 1..=levels {
        body.push_str(&format!(r#"<g id="l{level}">"#));
        for _ in 0..10 {
            body.push_str(&format!(r##"<use href="#l{}"/>"##, level - 1));
        }
        body.push_str("</g>");
    }
    body.push_str(&format!(r##"</defs><use href="#l{levels}"/></svg>"##));
    body.into_bytes()
}

fn bombs() -> Vec<(&'static str, Vec<u8>)> {
    let laughs = {
        let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e0 "lollollollol">"#);
        for i in 1..10 {
            dtd.push_str(&format!(r#"<!ENTITY e{i} "{}">"#, format!("&e{};", i - 1).repeat(10)));
        }
        dtd.push_str(r#"]><svg xmlns="http://www.w3.org/2000/svg"><text>&e9;</text></svg>"#);
        dtd.into_bytes()
    };
    // an SVG whose image is itself an SVG of heavy reuse, many times over
    let nested = {
        use base64::Engine;
        let inner = base64::engine::general_purpose::STANDARD.encode(use_fan_out(4));
        let image = format!(r#"<image width="10" height="10" href="data:image/svg+xml;base64,{inner}"/>"#);
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>"#, image.repeat(50))
            .into_bytes()
    };
    let mut huge_png = PNG.to_vec();
    huge_png[16..20].copy_from_slice(&60000u32.to_be_bytes());
    huge_png[20..24].copy_from_slice(&60000u32.to_be_bytes());
    vec![
        ("entity expansion", laughs),
        ("<use> fan-out", use_fan_out(7)),
        ("nested data: SVG", nested),
        ("60000 × 60000 PNG", huge_png),
    ]
}

async fn upload_bombs_are_refused_quickly_and_the_server_keeps_answering(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let member = signed_up_member(&app, "bomber@example.com").await;
    for (name, bytes) in bombs() {
        for (client, path, field) in [(&owner, UploadImage::PATH, "icon_file"), (&member, UploadPhoto::PATH, "photo")] {
            let started = Instant::now();
            let (status, err) = error_of(post_file(&app, client, path, bytes.clone()).await).await;
            let took = started.elapsed();
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name} via {path}: {err:?}");
            assert!(err.field_message(field).is_some(), "{name}: {err:?}");
            // a bound far above the milliseconds it takes, far below the hours it took before
            assert!(took < Duration::from_secs(5), "{name} via {path} took {took:?}");
        }
    }
    // all of them at once, three times over, while a page is asked for: the page still answers
    let mut flood = tokio::task::JoinSet::new();
    for (_, bytes) in bombs().into_iter().flat_map(|bomb| std::iter::repeat_n(bomb, 3)) {
        let (owner, url) = (owner.clone(), app.url(UploadImage::PATH));
        flood.spawn(async move {
            let form =
                reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("f"));
            owner.post(url).multipart(form).send().await.map(|r| r.status())
        });
    }
    let started = Instant::now();
    let health = app.page(&app.client(), "/healthz").await.status();
    let took = started.elapsed();
    assert_eq!(health, StatusCode::OK);
    assert!(took < Duration::from_secs(5), "/healthz took {took:?} during the flood");
    while let Some(done) = flood.join_next().await {
        let status = done.unwrap().expect("the server answered");
        assert!(status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
    }
    assert_eq!(app.count("select count(*) from uploads").await, 0, "nothing was stored");
}

async fn photos_are_raster_follow_their_member_and_leave_no_copies(db: TestDb) {
    let app = app_with_owner(db).await;
    let ann = signed_up_member(&app, "ann@example.com").await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>"#;
    let (status, err) = error_of(post_file(&app, &ann, UploadPhoto::PATH, svg.to_vec()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("photo").unwrap().contains("PNG, JPEG, WebP or GIF"), "{err:?}");

    let photo_url = |client: reqwest::Client| {
        let app = &app;
        async move {
            let me: MemberProfile = app.call::<MyProfile>(&client, &[]).await.json().await.unwrap();
            me.member.profile.photo_url
        }
    };
    assert_eq!(post_file(&app, &ann, UploadPhoto::PATH, PNG.to_vec()).await.status(), StatusCode::OK);
    let first = photo_url(ann.clone()).await.expect("a photo");
    let visitor = app.client();
    assert_eq!(app.page(&visitor, &first).await.status(), StatusCode::NOT_FOUND, "private member: no photo");
    app.call::<SetCommunityMembership>(&ann, &[("join", "true")]).await;
    let served = app.page(&visitor, &first).await;
    assert_eq!(served.status(), StatusCode::OK, "public member: the photo is served");
    assert_eq!(served.headers()["cache-control"], "private, no-cache");

    // replacing deletes the old image; removing deletes the new one
    assert_eq!(post_file(&app, &ann, UploadPhoto::PATH, PNG.to_vec()).await.status(), StatusCode::OK);
    let second = photo_url(ann.clone()).await.expect("a photo");
    assert_ne!(first, second);
    assert_eq!(app.page(&ann, &first).await.status(), StatusCode::NOT_FOUND, "the replaced photo is gone");
    assert_eq!(app.count("select count(*) from uploads").await, 1);
    assert_eq!(app.call::<RemovePhoto>(&ann, &[]).await.status(), StatusCode::OK);
    assert_eq!(app.page(&ann, &second).await.status(), StatusCode::NOT_FOUND, "the removed photo is gone");
    assert_eq!(app.count("select count(*) from uploads").await, 0);

    // deleting a member deletes their photo
    assert_eq!(post_file(&app, &ann, UploadPhoto::PATH, PNG.to_vec()).await.status(), StatusCode::OK);
    let third = photo_url(ann.clone()).await.expect("a photo");
    assert_eq!(app.page(&visitor, &third).await.status(), StatusCode::OK);
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let id = crate::common::member_id(&app.store, "ann@example.com").await.to_string();
    assert_eq!(app.call::<DeleteMember>(&owner, &[("id", id.as_str())]).await.status(), StatusCode::OK);
    assert_eq!(app.page(&owner, &third).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from uploads").await, 0);
}

/// A 1 × 1 JPEG of about `size` bytes: the bulk is in APP3 segments, which are neither
/// metadata nor pixels and so are kept as they are.
fn padded_jpeg(size: usize) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    while j.len() + 65_000 < size {
        j.extend_from_slice(&[0xFF, 0xE3, 0xFD, 0xE8]); // length 65,000
        j.extend(std::iter::repeat_n(0u8, 64_998));
    }
    // a baseline frame of 1 × 1, one component; then a scan
    j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34, 0xFF, 0xD9]);
    j
}

async fn each_account_has_an_upload_quota(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let image = padded_jpeg(1_000_000);
    let per_quota = (insignia::uploads::QUOTA_BYTES as usize) / image.len();
    for n in 0..per_quota {
        let res = post_file(&app, &owner, UploadImage::PATH, image.clone()).await;
        assert_eq!(res.status(), StatusCode::OK, "upload {n}: {}", res.text().await.unwrap());
    }
    let (status, err) = error_of(post_file(&app, &owner, UploadImage::PATH, image.clone()).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err.field_message("icon_file").unwrap().contains("at most 20 MB"), "{err:?}");
    // the quota is the account's own: a member can still upload
    let member = signed_up_member(&app, "ben@example.com").await;
    assert_eq!(post_file(&app, &member, UploadPhoto::PATH, image).await.status(), StatusCode::OK);
}
