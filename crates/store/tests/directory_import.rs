//! Imports of the real public data, on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use headway_domain::directory::{Country, OrgKind};
use headway_store::directory::OrgQuery;
use headway_store::import::bundled::BUNDLED;
use headway_store::testing::TestDb;
use headway_store::{Dataset, StoreError};

async fn import_all(db: &TestDb) {
    for (d, path, bytes) in BUNDLED {
        db.store
            .import(d, path, bytes, &|_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
    }
}

#[tokio::test]
async fn full_import_has_every_real_record_and_is_idempotent() {
    let db = TestDb::new().await;
    import_all(&db).await;
    let s = &db.store;
    assert_eq!(
        s.count_organizations(Country::Netherlands, OrgKind::School)
            .await
            .unwrap(),
        6122
    );
    assert_eq!(
        s.count_organizations(Country::Netherlands, OrgKind::Board)
            .await
            .unwrap(),
        749
    );
    let counts = s.directory_counts().await.unwrap();
    assert_eq!(counts.municipalities["NO"], 357);
    assert_eq!(counts.municipalities["SI"], 212);
    assert_eq!(counts.municipalities["NL"], 342);
    assert_eq!(
        s.count_organizations(Country::Norway, OrgKind::Owner)
            .await
            .unwrap(),
        357
    );

    // Diacritic-insensitive search.
    let page = s
        .search_organizations(&OrgQuery {
            q: Some("sercer".into()),
            per_page: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].name, "OŠ Ljubo Šercer Kočevje");
    assert_eq!(page.items[0].municipality.as_deref(), Some("Kočevje"));

    // A second run changes nothing and reports every row as an update.
    let (d, path, bytes) = BUNDLED[2];
    let again = s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    assert_eq!((again.rows, again.inserted, again.updated), (6122, 0, 6122));
    assert_eq!(
        s.count_organizations(Country::Netherlands, OrgKind::School)
            .await
            .unwrap(),
        6122
    );

    // Follo has its six members.
    let follo = s
        .region_by_name(Country::Norway, "Follo")
        .await
        .unwrap()
        .expect("Follo");
    assert_eq!(follo.level, 2);
    // Every Slovenian municipality has its statistical region; Kočevje's is Jugovzhodna Slovenija.
    let ko = s
        .search_organizations(&OrgQuery {
            q: Some("obcina kocevje".into()),
            per_page: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    let detail = s.organization(ko.items[0].id).await.unwrap();
    assert_eq!(detail.region.as_deref(), Some("Jugovzhodna Slovenija"));
}

#[tokio::test]
async fn a_bad_row_names_line_and_field_and_writes_nothing() {
    let db = TestDb::new().await;
    for (d, path, bytes) in &BUNDLED[..2] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let before = db.store.directory_counts().await.unwrap();
    let audit_before = db.store.audit_count().await.unwrap();
    let file = "vestigingscode,vestigingsnaam,bevoegd_gezag_nummer,gemeentenummer,lat,lon\n\
                32JK00,BBS de Verwondering,20091,1699,53.1,6.5\n\
                03WU00,Kindcentrum De Wegwijzer,32073,1681,north,6.9\n";
    let err = db
        .store
        .import(Dataset::NlSchools, "bad.csv", file.as_bytes(), &|_, _| {})
        .await
        .unwrap_err();
    match err {
        StoreError::Import(e) => {
            assert_eq!(
                (e.file.as_str(), e.line, e.field.as_str()),
                ("bad.csv", 3, "lat")
            );
            assert!(e.message.contains("north"), "{e}");
        }
        other => panic!("expected an import error, got {other}"),
    }
    assert_eq!(db.store.directory_counts().await.unwrap(), before);
    assert_eq!(db.store.audit_count().await.unwrap(), audit_before);

    // A reference to an unknown board is named too, and nothing of the good first row lands.
    let file = "vestigingscode,vestigingsnaam,bevoegd_gezag_nummer,gemeentenummer\n\
                32JK00,BBS de Verwondering,20091,1699\n\
                99XX00,Nowhere,1,1699\n";
    let err = db
        .store
        .import(Dataset::NlSchools, "ref.csv", file.as_bytes(), &|_, _| {})
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("ref.csv, line 3, field `bevoegd_gezag_nummer`"),
        "{err}"
    );
    assert_eq!(
        db.store
            .count_organizations(Country::Netherlands, OrgKind::School)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn audit_chain_verifies_and_detects_tampering() {
    use sea_orm::ConnectionTrait;
    let db = TestDb::new().await;
    for (d, path, bytes) in &BUNDLED[6..10] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let v = db.store.verify_audit().await.unwrap();
    assert_eq!(v.entries, 4);
    db.store
        .conn()
        .execute_unprepared("UPDATE audit_log SET detail = 'forged' WHERE seq = 2")
        .await
        .unwrap();
    let err = db.store.verify_audit().await.unwrap_err();
    assert!(err.to_string().contains("entry 2"), "{err}");
}

/// The in-memory directory search answers exactly as the database search: same totals,
/// same pages in the same order, for terms, filters and pages; and it sees an import made
/// after it was loaded.
#[tokio::test]
async fn the_directory_index_answers_as_the_database() {
    let db = TestDb::new().await;
    // Slovenia and Norway first; the Dutch files come after the index is loaded.
    for (d, path, bytes) in &BUNDLED[3..] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    let indexed = db.store.clone().with_directory_index();
    let queries = |country| {
        let mut qs = vec![];
        for q in [
            None,
            Some("sola"),
            Some("šercer"),
            Some("os ljubo"),
            Some("kommune"),
            Some("zzz"),
        ] {
            for kind in [None, Some(OrgKind::School), Some(OrgKind::Owner)] {
                for page in [1, 2, 40] {
                    qs.push(OrgQuery {
                        q: q.map(str::to_owned),
                        country,
                        kind,
                        municipality_id: None,
                        page,
                        per_page: 20,
                    });
                }
            }
        }
        qs
    };
    let mut compared = 0;
    for country in [None, Some(Country::Slovenia), Some(Country::Norway)] {
        for q in queries(country) {
            let want = db.store.search_organizations(&q).await.unwrap();
            let got = indexed.search_organizations_indexed(&q).await.unwrap();
            assert_eq!(got.total, want.total, "{q:?}");
            assert_eq!(
                got.items.iter().map(|o| o.id).collect::<Vec<_>>(),
                want.items.iter().map(|o| o.id).collect::<Vec<_>>(),
                "{q:?}"
            );
            assert_eq!(got.items, want.items, "{q:?}");
            compared += 1;
        }
    }
    assert_eq!(compared, 3 * 6 * 3 * 3);
    let nl = OrgQuery {
        q: Some("montessori".into()),
        country: Some(Country::Netherlands),
        page: 1,
        per_page: 20,
        ..Default::default()
    };
    assert_eq!(
        indexed
            .search_organizations_indexed(&nl)
            .await
            .unwrap()
            .total,
        0
    );
    for (d, path, bytes) in &BUNDLED[..3] {
        db.store.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    // The import went through a clone of the same store: seen at once.
    let after = indexed.search_organizations_indexed(&nl).await.unwrap();
    assert_eq!(
        after.total,
        db.store.search_organizations(&nl).await.unwrap().total
    );
    assert!(after.total > 0);
}

/// The Norwegian schools of Follo and Romerike: each in its kommune, a public school owned
/// by it, placed at the kommune's centroid when the file has no coordinates; a bad row
/// names its line and field and writes nothing.
#[tokio::test]
async fn norwegian_schools_belong_to_their_kommune() {
    let db = TestDb::new().await;
    let s = &db.store;
    for (d, path, bytes) in &BUNDLED[3..6] {
        s.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    assert_eq!(
        s.count_organizations(Country::Norway, OrgKind::School)
            .await
            .unwrap(),
        178
    );
    // Asak skole (Lillestrøm), grades 1–10, public, geocoded.
    let asak = s
        .organization_id("no:skole:973608894")
        .await
        .unwrap()
        .unwrap();
    let d = s.organization(asak).await.unwrap();
    assert_eq!(d.summary.name, "Asak skole");
    assert_eq!(d.summary.municipality.as_deref(), Some("Lillestrøm"));
    assert_eq!(d.school_type.as_deref(), Some("primary_lower_secondary"));
    assert_eq!(d.governance.as_deref(), Some("public"));
    assert_eq!(d.parent.map(|p| p.1).as_deref(), Some("Lillestrøm kommune"));
    assert_eq!(d.summary.lat, Some(59.9930604));
    // Wang Ung Follo AS (Nordre Follo): private, no owner in the directory, no coordinates
    // in the file, so at Nordre Follo's centroid.
    let wang = s
        .organization_id("no:skole:918530428")
        .await
        .unwrap()
        .unwrap();
    let w = s.organization(wang).await.unwrap();
    assert_eq!(w.governance.as_deref(), Some("private"));
    assert_eq!(w.parent, None);
    let kommune = s.organization_id("no:kommune:3207").await.unwrap().unwrap();
    let k = s.organization(kommune).await.unwrap();
    assert!(w.summary.lat.is_some());
    assert_eq!(
        (w.summary.lat, w.summary.lon),
        (k.summary.lat, k.summary.lon)
    );

    let before = s.directory_counts().await.unwrap();
    let file = "organisasjonsnummer,skolenavn,kommunenummer,trinn,eierform\n\
                973608894,Asak skole,3205,1-10,offentlig\n\
                975272729,Bingsfoss ungdomsskole,3205,8-9,offentlig\n";
    let err = s
        .import(
            Dataset::NoSchools,
            "skoler.csv",
            file.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("skoler.csv, line 3, field `trinn`"),
        "{err}"
    );
    let file = "organisasjonsnummer,skolenavn,kommunenummer,trinn,eierform\n\
                973608894,Asak skole,9999,1-10,offentlig\n";
    let err = s
        .import(
            Dataset::NoSchools,
            "skoler.csv",
            file.as_bytes(),
            &|_, _| {},
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("kommune 9999 is not in the directory"),
        "{err}"
    );
    assert_eq!(s.directory_counts().await.unwrap(), before);
}
