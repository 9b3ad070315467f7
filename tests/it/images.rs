//! Badge icons over HTTP: uploads (checked, sanitised, served safely), the icon library and
//! saving a badge with each kind of icon.

use crate::api::{app_with_owner, error_of, logged_in, signed_up_member, OWNER};
use crate::common::{TestApp, TestDb, PNG};
use insignia::badges::api::SaveBadge;
use insignia::badges::Badge;
use insignia::domain::IconSource;
use insignia::icons::api::SearchIcons;
use insignia::icons::IconPage;
use insignia::uploads::api::UploadImage;
use insignia::uploads::UploadedImage;
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;

crate::on_both_backends!(
    images_are_checked_stored_and_served_safely,
    the_library_is_searched_and_served_by_the_server,
    badges_keep_library_and_uploaded_icons,
);

async fn upload(app: &TestApp, client: &reqwest::Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    client.post(app.url(UploadImage::PATH)).multipart(form).send().await.expect("upload request")
}

async fn images_are_checked_stored_and_served_safely(db: TestDb) {
    let app = app_with_owner(db).await;
    let member = signed_up_member(&app, "uploader@example.com").await;
    let (status, _) = error_of(upload(&app, &member, "a.png", PNG.to_vec()).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot upload badge icons");

    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let res = upload(&app, &owner, "dot.png", PNG.to_vec()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let png: UploadedImage = res.json().await.unwrap();
    assert_eq!(png.content_type, "image/png");
    let served = app.page(&app.client(), &format!("/uploads/{}", png.id)).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(served.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);

    // a script-carrying SVG is stored without its script, and cannot run even if opened
    let hostile = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4" onload="alert(1)"><script>alert(2)</script><rect width="4" height="4" fill="red"/></svg>"#;
    let svg: UploadedImage = upload(&app, &owner, "x.svg", hostile.to_vec()).await.json().await.unwrap();
    let served = app.page(&app.client(), &format!("/uploads/{}", svg.id)).await;
    assert_eq!(served.headers()["content-type"], "image/svg+xml");
    assert!(served.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"));
    let text = served.text().await.unwrap();
    assert!(!text.contains("script") && !text.contains("onload") && text.contains("<svg"), "{text}");

    // anything else is refused, with the reason, against the file field
    for (name, bytes, says) in [
        ("report.pdf", b"%PDF-1.7 not an image".to_vec(), "Only PNG, JPEG, WebP, GIF or SVG"),
        ("big.png", [PNG, &vec![0u8; 1024 * 1024]].concat(), "at most 1 MB"),
        ("empty.png", Vec::new(), "empty"),
    ] {
        let (status, err) = error_of(upload(&app, &owner, name, bytes).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let message = err.field_message("icon_file").unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert!(message.contains(says), "{name}: {message}");
    }
    for missing in [format!("/uploads/{}", uuid::Uuid::new_v4()), "/uploads/not-an-id".to_owned()] {
        assert_eq!(app.page(&app.client(), &missing).await.status(), StatusCode::NOT_FOUND);
    }
}

async fn the_library_is_searched_and_served_by_the_server(db: TestDb) {
    let app = app_with_owner(db).await;
    let (status, _) = error_of(app.call::<SearchIcons>(&app.client(), &[("query", "star"), ("page", "0")]).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let page: IconPage =
        app.call::<SearchIcons>(&owner, &[("query", "star"), ("page", "0")]).await.json().await.unwrap();
    assert_eq!(page.icons[0].name, "star");
    assert!(page.icons[0].svg.starts_with("<svg"));
    let all: IconPage = app.call::<SearchIcons>(&owner, &[("query", ""), ("page", "1")]).await.json().await.unwrap();
    assert!(all.total >= 1000, "{}", all.total);
    assert_eq!((all.page, all.icons.len()), (1, all.per_page));

    let icon = app.page(&app.client(), "/icons/star.svg").await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
    assert_eq!(icon.headers()["x-content-type-options"], "nosniff");
    assert!(icon.text().await.unwrap().starts_with("<svg"));
    for missing in ["/icons/no-such-icon.svg", "/icons/star", "/icons/..%2Fsecret.svg"] {
        assert_eq!(app.page(&app.client(), missing).await.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

async fn badges_keep_library_and_uploaded_icons(db: TestDb) {
    let app = app_with_owner(db).await;
    let owner = logged_in(&app, OWNER.0, OWNER.1).await;
    let form = |title: &'static str, fields: &[(&'static str, String)]| {
        let mut form: Vec<(&'static str, String)> = vec![
            ("title", title.into()),
            ("description", String::new()),
            ("background_color", "#1E40AF".into()),
            ("text_color", "#FFFFFF".into()),
        ];
        form.extend_from_slice(fields);
        form
    };
    let save = |form: Vec<(&'static str, String)>| {
        let owner = owner.clone();
        let url = app.url(SaveBadge::PATH);
        async move { owner.post(url).form(&form).send().await.unwrap() }
    };

    let res = save(form(
        "Star",
        &[("icon_kind", "library".into()), ("icon_library", "star".into()), ("icon_alt", "A star".into())],
    ))
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let star: Badge = res.json().await.unwrap();
    assert_eq!(
        star.icon.as_ref().map(|i| (&i.source, i.alt_text.as_str())),
        Some((&IconSource::Library("star".into()), "A star"))
    );

    let png: UploadedImage = upload(&app, &owner, "dot.png", PNG.to_vec()).await.json().await.unwrap();
    let res = save(form("Dot", &[("icon_kind", "upload".into()), ("icon_upload", png.id.to_string())])).await;
    let dot: Badge = res.json().await.unwrap();
    assert_eq!(dot.icon.map(|i| i.source), Some(IconSource::Upload(png.id)));

    // names and ids the server does not have are refused next to their field; nothing is saved
    let before = app.store.count_badges(&Default::default()).await.unwrap();
    for (fields, field) in [
        (vec![("icon_kind", "library".to_owned()), ("icon_library", "no-such-icon".to_owned())], "icon_library"),
        (vec![("icon_kind", "upload".to_owned()), ("icon_upload", uuid::Uuid::new_v4().to_string())], "icon_file"),
        (vec![("icon_kind", "url".to_owned()), ("icon_url", "javascript:alert(1)".to_owned())], "icon_url"),
    ] {
        let (status, err) = error_of(save(form("Nope", &fields)).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.field_message(field).is_some(), "{field}: {err:?}");
    }
    assert_eq!(app.store.count_badges(&Default::default()).await.unwrap(), before);

    // the badge list page draws both icons
    let page = app.page(&owner, "/dashboard/badges").await.text().await.unwrap();
    assert!(page.contains("/icons/star.svg") && page.contains(r#"aria-label="A star""#), "library icon on the list");
    assert!(page.contains(&format!("/uploads/{}", png.id)), "uploaded icon on the list");
}
