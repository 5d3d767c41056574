//! Deterministic seed data: two accounts, users, search profiles, connections, persons with
//! profiles on several sources, and results in conversations (cases), in Dutch and English.
//!
//! Everything is derived from the seed with the sandbox's own [`Rng`], so the same seed gives the
//! same database on every machine. Results are inserted in time order, so `uniqueId` grows with
//! time.

use std::collections::HashMap;

use rusqlite::{params, Connection};
use serde_json::json;
use webcare::sentiment::{score_in, Language};
use webcare::Source;

use crate::clock::rfc3339_secs;
use crate::db::{insert_activity, insert_result, meta_set};
use crate::model::{activity, status, ActivityDoc, ConnectionDoc, ResultInput};
use crate::rng::Rng;

/// The first result id (result ids are large, unlike every other id, to catch mix-ups).
pub(crate) const FIRST_RESULT_ID: i64 = 1_000_001;
/// The first case id.
pub(crate) const FIRST_CASE_ID: i64 = 10_001;
/// Results of the second account (on top of `results`).
pub(crate) const SECOND_ACCOUNT_RESULTS: usize = 24;

/// What to seed.
#[derive(Debug, Clone)]
pub(crate) struct SeedParams {
    pub seed: u64,
    pub results: usize,
    /// Sandbox clock start, epoch seconds; all seeded results are before it.
    pub start: i64,
    pub client_a: (String, String),
    pub client_b: (String, String),
    /// A second API client of the main account (its own `new results` markers).
    pub client_a2: (String, String),
}

pub(crate) struct Location {
    pub city: &'static str,
    pub municipality: &'static str,
    pub province: &'static str,
    pub country: &'static str,
}

const fn loc(
    city: &'static str,
    municipality: &'static str,
    province: &'static str,
    country: &'static str,
) -> Location {
    Location {
        city,
        municipality,
        province,
        country,
    }
}

pub(crate) const LOCATIONS: [Location; 24] = [
    loc("Amsterdam", "Amsterdam", "Noord-Holland", "Netherlands"),
    loc("Rotterdam", "Rotterdam", "Zuid-Holland", "Netherlands"),
    loc("Den Haag", "'s-Gravenhage", "Zuid-Holland", "Netherlands"),
    loc(
        "Scheveningen",
        "'s-Gravenhage",
        "Zuid-Holland",
        "Netherlands",
    ),
    loc("Utrecht", "Utrecht", "Utrecht", "Netherlands"),
    loc("Eindhoven", "Eindhoven", "Noord-Brabant", "Netherlands"),
    loc("Tilburg", "Tilburg", "Noord-Brabant", "Netherlands"),
    loc("Breda", "Breda", "Noord-Brabant", "Netherlands"),
    loc("Groningen", "Groningen", "Groningen", "Netherlands"),
    loc("Almere", "Almere", "Flevoland", "Netherlands"),
    loc("Nijmegen", "Nijmegen", "Gelderland", "Netherlands"),
    loc("Arnhem", "Arnhem", "Gelderland", "Netherlands"),
    loc("Apeldoorn", "Apeldoorn", "Gelderland", "Netherlands"),
    loc("Zwolle", "Zwolle", "Overijssel", "Netherlands"),
    loc("Enschede", "Enschede", "Overijssel", "Netherlands"),
    loc("Haarlem", "Haarlem", "Noord-Holland", "Netherlands"),
    loc("Hilversum", "Hilversum", "Noord-Holland", "Netherlands"),
    loc("Amersfoort", "Amersfoort", "Utrecht", "Netherlands"),
    loc("Maastricht", "Maastricht", "Limburg", "Netherlands"),
    loc("Leeuwarden", "Leeuwarden", "Friesland", "Netherlands"),
    loc("Delft", "Delft", "Zuid-Holland", "Netherlands"),
    loc("Antwerpen", "Antwerpen", "Antwerpen", "Belgium"),
    loc("Gent", "Gent", "Oost-Vlaanderen", "Belgium"),
    loc(
        "London",
        "City of London",
        "Greater London",
        "United Kingdom",
    ),
];

const FIRST_NL: [&str; 32] = [
    "Jan", "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Milan", "Lotte", "Thijs",
    "Fleur", "Bram", "Anouk", "Ruben", "Iris", "Jesse", "Noor", "Luuk", "Eva", "Stijn", "Lisa",
    "Kees", "Marieke", "Pieter", "Femke", "Wouter", "Annelies", "Joost", "Ingrid", "Henk",
    "Yvonne",
];
const LAST_NL: [&str; 24] = [
    "de Vries",
    "Jansen",
    "de Jong",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Dekker",
    "van Leeuwen",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Kok",
    "Jacobs",
    "van der Meer",
    "Willems",
];
const FIRST_EN: [&str; 12] = [
    "James", "Olivia", "Oliver", "Amelia", "Harry", "Emily", "George", "Sophie", "Jack", "Grace",
    "Noah", "Chloe",
];
const LAST_EN: [&str; 10] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans",
    "Walker",
];

const PRODUCTS_NL: [&str; 12] = [
    "internet",
    "wifi",
    "tv",
    "glasvezel",
    "modem",
    "mobiele abonnement",
    "4G",
    "5G",
    "vaste telefoon",
    "Experiabox",
    "tv-ontvanger",
    "bundel",
];
const PRODUCTS_EN: [&str; 10] = [
    "internet",
    "wifi",
    "TV",
    "fibre",
    "router",
    "mobile plan",
    "4G",
    "5G",
    "landline",
    "TV box",
];
const DURATIONS_NL: [&str; 6] = [
    "sinds gisteren",
    "al drie dagen",
    "al een week",
    "sinds vanochtend",
    "al twee weken",
    "sinds het weekend",
];
const DURATIONS_EN: [&str; 5] = [
    "since yesterday",
    "for three days",
    "for a week",
    "since this morning",
    "for two weeks",
];

/// Moods, from very negative to very positive.
const MOOD_WEIGHTS: [u32; 5] = [15, 30, 28, 18, 9];

/// (category, template) per mood, Dutch.
const NL: [&[(&str, &str)]; 5] = [
    &[
        ("Storing", "Mijn {p} werkt alweer niet, dit is echt waardeloos! {d} geen verbinding in {c}. Belachelijk slecht."),
        ("Klantenservice", "Al {n} keer gebeld over mijn {p} en nog steeds geen oplossing. Wat een verschrikkelijke service, ik ben woedend!"),
        ("Factuur", "Mijn factuur is weer veel te hoog, dit is gewoon oplichting. Ik ben er helemaal klaar mee!"),
        ("Monteur", "Monteur is niet gekomen, weer een dag vrij genomen voor niets. Echt schandalig en slecht geregeld!"),
        ("Opzegging", "Ik zeg mijn abonnement op. {d} geen {p}, niemand helpt, dit is de slechtste klantenservice ooit."),
    ],
    &[
        ("Storing", "Storing in {c}? Mijn {p} doet het niet {d}."),
        ("Storing", "Waarom is mijn {p} {d} zo traag? Erg vervelend."),
        ("Factuur", "Ik snap mijn factuur niet, er staan kosten op die niet kloppen. Jammer."),
        ("Klantenservice", "Ik wacht al {n} dagen op een antwoord over mijn {p}. Niet fijn."),
        ("Verhuizing", "Verhuizing naar {c} loopt niet goed, mijn {p} is nog steeds niet aangesloten. Teleurgesteld."),
        ("Mobiel", "Slecht bereik met mijn {p} in {c}, steeds valt de verbinding weg."),
    ],
    &[
        ("Vraag", "Hoe kan ik de instellingen van mijn {p} wijzigen?"),
        ("Glasvezel", "Wanneer komt glasvezel naar {c}?"),
        ("Verhuizing", "Ik ga verhuizen naar {c}, hoe neem ik mijn {p} mee?"),
        ("Vraag", "Kan ik mijn abonnement aanpassen via de app?"),
        ("Storing", "Is er een storing in {c}? Mijn {p} knippert oranje."),
        ("Factuur", "Wanneer wordt de factuur van deze maand afgeschreven?"),
        ("Mobiel", "Welke bundel heb ik nodig voor bellen naar het buitenland?"),
    ],
    &[
        ("Compliment", "Dank je wel voor de snelle hulp met mijn {p}! Het werkt weer."),
        ("Glasvezel", "Eindelijk glasvezel in {c}, blij mee. Bedankt!"),
        ("Klantenservice", "Goed geholpen door de klantenservice, fijn dat het zo snel opgelost is."),
        ("Monteur", "De monteur was op tijd en heel vriendelijk. Goed geregeld."),
        ("Mobiel", "Mijn nieuwe {p} werkt prima, goed bereik in {c}."),
    ],
    &[
        ("Compliment", "Geweldig! Nieuwe {p} geinstalleerd en alles werkt perfect. Super service, heel erg bedankt!"),
        ("Compliment", "Fantastisch geholpen, top medewerker! Echt de beste service, dank jullie wel!"),
        ("Glasvezel", "Glasvezel is geweldig, super snel en stabiel in {c}. Heel blij, top!"),
    ],
];

/// (category, template) per mood, English.
const EN: [&[(&str, &str)]; 5] = [
    &[
        ("Storing", "My {p} is down again, this is absolutely terrible! No connection in {c} {d}. Awful service."),
        ("Klantenservice", "Called {n} times about my {p} and still nothing. Worst customer service ever, I am furious!"),
        ("Factuur", "My bill is way too high again, this is a scam. Horrible!"),
    ],
    &[
        ("Storing", "Is there an outage in {c}? My {p} has not worked {d}."),
        ("Storing", "Why is my {p} so slow {d}? Really annoying."),
        ("Klantenservice", "Still waiting for an answer about my {p}. Disappointed."),
        ("Mobiel", "Bad coverage with my {p} in {c}, calls keep dropping."),
    ],
    &[
        ("Vraag", "How do I change the settings of my {p}?"),
        ("Glasvezel", "When will fibre be available in {c}?"),
        ("Verhuizing", "I am moving to {c}, how do I take my {p} with me?"),
        ("Factuur", "When is this month's bill charged?"),
    ],
    &[
        ("Compliment", "Thanks for the quick help with my {p}! It works again."),
        ("Klantenservice", "Good help from customer service, glad it was fixed so fast."),
        ("Monteur", "The engineer was on time and very friendly. Nice."),
    ],
    &[
        ("Compliment", "Amazing! New {p} installed and everything works perfectly. Great service, thank you so much!"),
        ("Glasvezel", "Fibre is awesome, super fast and stable in {c}. Love it!"),
    ],
];

const REPLIES_NL: [&str; 6] = [
    "Hoi {name}, vervelend dat je {p} niet goed werkt! Stuur je ons een DM met je postcode en huisnummer? Dan kijken we met je mee. ^{agent}",
    "Hoi {name}, dank voor je bericht. We hebben een storingsmelding aangemaakt, je hoort zo snel mogelijk van ons. ^{agent}",
    "Hoi {name}, fijn om te horen dat het weer werkt! Nog een fijne dag. ^{agent}",
    "Hoi {name}, goede vraag! Je kunt dit regelen in de MijnKPN app onder Instellingen. ^{agent}",
    "Hoi {name}, ik heb het voor je nagekeken: de monteur komt morgen tussen 8:00 en 13:00. ^{agent}",
    "Hoi {name}, sorry voor het ongemak. We hebben een tegoed van 10 euro op je volgende factuur gezet. ^{agent}",
];
const REPLIES_EN: [&str; 4] = [
    "Hi {name}, sorry to hear your {p} is not working! Could you send us a DM with your postcode? We will look into it. ^{agent}",
    "Hi {name}, thanks for your message. We created a ticket and will get back to you soon. ^{agent}",
    "Hi {name}, great to hear it works again! Have a nice day. ^{agent}",
    "Hi {name}, you can change this in the MyKPN app under Settings. ^{agent}",
];

const HEADLINES_NL: [(&str, &str); 6] = [
    ("Storing", "Storing bij KPN treft duizenden klanten in {c}"),
    ("Glasvezel", "KPN breidt glasvezelnetwerk in {c} uit"),
    (
        "Factuur",
        "KPN verhoogt prijzen van abonnementen per januari",
    ),
    ("Mobiel", "KPN test nieuw 5G-netwerk in {c}"),
    ("Compliment", "KPN wint prijs voor beste klantenservice"),
    ("Vraag", "Review: de nieuwe Experiabox van KPN getest"),
];
const HEADLINES_EN: [(&str, &str); 3] = [
    ("Storing", "KPN outage hits thousands of customers in {c}"),
    ("Glasvezel", "KPN expands fibre network in {c}"),
    ("Mobiel", "KPN trials new 5G network in {c}"),
];

const LABELS: [&str; 8] = [
    "urgent",
    "escalatie",
    "prijs",
    "opzegging",
    "nieuwe klant",
    "feedback",
    "monteur",
    "social",
];

fn hashtags_for(category: &str) -> &'static [&'static str] {
    match category {
        "Storing" => &["#storing", "#kpn", "#fail"],
        "Factuur" => &["#factuur", "#kpn"],
        "Glasvezel" => &["#glasvezel", "#kpn"],
        "Compliment" => &["#top", "#kpn", "#service"],
        "Klantenservice" => &["#klantenservice", "#kpn"],
        _ => &["#kpn"],
    }
}

fn media_hosts(source: Source) -> &'static [&'static str] {
    match source {
        Source::News => &[
            "www.nu.nl",
            "tweakers.net",
            "www.telegraaf.nl",
            "nos.nl",
            "www.ad.nl",
        ],
        Source::Blogs => &[
            "www.androidplanet.nl",
            "www.iphoneclub.nl",
            "blog.example.nl",
        ],
        Source::Web => &["www.kassa.nl", "www.consumentenbond.nl", "www.reddit.com"],
        Source::Print => &["www.volkskrant.nl", "www.nrc.nl"],
        Source::Rtv => &["nos.nl", "www.rtlnieuws.nl"],
        Source::Forums => &["community.kpn.com"],
        _ => &["www.example.nl"],
    }
}

/// Sources persons write on, with weights.
const PERSON_SOURCES: [(Source, u32); 12] = [
    (Source::Twitter, 30),
    (Source::Facebook, 20),
    (Source::Instagram, 10),
    (Source::Whatsapp, 15),
    (Source::Irischat, 8),
    (Source::Linkedin, 3),
    (Source::Forums, 4),
    (Source::Blogs, 2),
    (Source::News, 3),
    (Source::Web, 2),
    (Source::Print, 1),
    (Source::Rtv, 1),
];

/// Whether the sandbox has a connection (so replies) for a source.
fn conversational(source: Source) -> bool {
    matches!(
        source,
        Source::Twitter
            | Source::Facebook
            | Source::Instagram
            | Source::Whatsapp
            | Source::Irischat
            | Source::Linkedin
    )
}

fn private_channel(source: Source) -> bool {
    matches!(source, Source::Whatsapp | Source::Irischat)
}

/// A user of an account.
pub(crate) struct UserSeed {
    pub id: i64,
    pub account: i64,
    pub name: &'static str,
    pub email: &'static str,
    pub admin: bool,
}

pub(crate) const USERS: [UserSeed; 10] = [
    UserSeed {
        id: 1,
        account: 1,
        name: "Webcare API",
        email: "api@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 2,
        account: 1,
        name: "Sanne de Vries",
        email: "sanne.devries@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 3,
        account: 1,
        name: "Daan Bakker",
        email: "daan.bakker@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 4,
        account: 1,
        name: "Emma Visser",
        email: "emma.visser@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 5,
        account: 1,
        name: "Lucas Smit",
        email: "lucas.smit@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 6,
        account: 1,
        name: "Julia Meijer",
        email: "julia.meijer@kpn.example",
        admin: false,
    },
    UserSeed {
        id: 7,
        account: 1,
        name: "Femke Mulder",
        email: "femke.mulder@kpn.example",
        admin: true,
    },
    UserSeed {
        id: 101,
        account: 2,
        name: "Webcare API",
        email: "api@second.example",
        admin: false,
    },
    UserSeed {
        id: 102,
        account: 2,
        name: "Piet Pieters",
        email: "piet.pieters@second.example",
        admin: true,
    },
    UserSeed {
        id: 103,
        account: 2,
        name: "Anna Smith",
        email: "anna.smith@second.example",
        admin: false,
    },
];

/// Handlers cases are assigned to, per account.
const HANDLERS_A: [i64; 5] = [2, 3, 4, 5, 6];
const HANDLERS_B: [i64; 2] = [102, 103];

/// (id, account, name, weight of new cases) of the search profiles.
pub(crate) const SEARCHES: [(i64, i64, &str, u32); 4] = [
    (1, 1, "kpn", 70),
    (2, 1, "kpn zakelijk", 20),
    (3, 1, "ziggo vergelijking", 10),
    (101, 2, "second", 1),
];

/// (id, account, name, source, default) of the connections.
pub(crate) const CONNECTIONS: [(i64, i64, &str, Source, bool); 9] = [
    (1, 1, "@KPNwebcare", Source::Twitter, true),
    (2, 1, "@KPNzakelijk", Source::Twitter, false),
    (3, 1, "KPN", Source::Facebook, true),
    (4, 1, "@kpn", Source::Instagram, true),
    (5, 1, "KPN WhatsApp", Source::Whatsapp, true),
    (6, 1, "KPN Chat", Source::Irischat, true),
    (7, 1, "KPN", Source::Linkedin, true),
    (101, 2, "@SecondBV", Source::Twitter, true),
    (102, 2, "Second WhatsApp", Source::Whatsapp, true),
];

/// The connections of an account for a source, and the default one.
pub(crate) fn connections_for(account: i64, source: i64) -> (Vec<ConnectionDoc>, Option<i64>) {
    let conns: Vec<ConnectionDoc> = CONNECTIONS
        .iter()
        .filter(|c| c.1 == account && c.3.id() == source)
        .map(|c| ConnectionDoc {
            id: c.0,
            name: c.2.to_string(),
            source: c.3.id(),
        })
        .collect();
    let default = CONNECTIONS
        .iter()
        .find(|c| c.1 == account && c.3.id() == source && c.4)
        .map(|c| c.0);
    (conns, default)
}

fn tabs_for(name: &str) -> serde_json::Value {
    let mut tabs = vec![
        json!({"name": "Inbox", "filters": "notChecked", "action": "webcare", "onChangeSetChecked": true, "subTabs": [
            {"name": "Negatief", "shortname": "neg", "filters": "negative/notChecked"},
            {"name": "Zeer negatief", "shortname": "vneg", "filters": "very+negative/notChecked"}
        ]}),
        json!({"name": "Twitter en Facebook", "filters": "source:twitter,facebook/negative/notChecked", "action": "webcare", "onChangeSetChecked": false, "subTabs": []}),
        json!({"name": "Berichten", "filters": "source:whatsapp,irischat", "action": "webcare", "onChangeSetChecked": false, "subTabs": []}),
        json!({"name": "Storingen", "filters": "category:Storing/most+recent", "action": "webcare", "onChangeSetChecked": false, "subTabs": []}),
        json!({"name": "Alles", "filters": "", "action": "webcare", "onChangeSetChecked": false, "subTabs": [
            {"name": "Vandaag", "shortname": "dag", "filters": "day"},
            {"name": "Deze week", "shortname": "week", "filters": "week"}
        ]}),
    ];
    if name == "kpn zakelijk" {
        tabs.push(json!({"name": "LinkedIn", "filters": "source:linkedin", "action": "webcare", "onChangeSetChecked": false, "subTabs": []}));
    }
    serde_json::Value::Array(tabs)
}

struct PersonSeed {
    id: i64,
    account: i64,
    first: &'static str,
    name: String,
    handle: String,
    loc: usize,
    english: bool,
}

struct CaseSeed {
    id: i64,
    account: i64,
    search: i64,
    person: usize,
    source: Source,
    profile: i64,
    handler: Option<i64>,
    closed: bool,
    media_host: &'static str,
}

#[derive(Clone, Copy)]
struct Ev {
    time: i64,
    case: u32,
    seq: u32,
    own: bool,
}

/// Score a text once (texts repeat a lot; scoring is the slow part of seeding).
pub(crate) struct SentimentCache(HashMap<String, i64>);

impl SentimentCache {
    pub(crate) fn new() -> SentimentCache {
        SentimentCache(HashMap::new())
    }

    pub(crate) fn score(&mut self, text: &str) -> i64 {
        if let Some(v) = self.0.get(text) {
            return *v;
        }
        let v = i64::from(score_in(text, Language::Auto).value());
        if self.0.len() < 500_000 {
            self.0.insert(text.to_string(), v);
        }
        v
    }
}

fn fill(template: &str, rng: &mut Rng, english: bool, city: &str) -> String {
    let mut s = template.to_string();
    if s.contains("{p}") {
        let p = if english {
            rng.pick(&PRODUCTS_EN).copied().unwrap_or("internet")
        } else {
            rng.pick(&PRODUCTS_NL).copied().unwrap_or("internet")
        };
        s = s.replace("{p}", p);
    }
    if s.contains("{d}") {
        let d = if english {
            rng.pick(&DURATIONS_EN).copied().unwrap_or("")
        } else {
            rng.pick(&DURATIONS_NL).copied().unwrap_or("")
        };
        s = s.replace("{d}", d);
    }
    if s.contains("{n}") {
        s = s.replace("{n}", &rng.range(2, 9).to_string());
    }
    if s.contains("{c}") {
        s = s.replace("{c}", city);
    }
    s
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

/// Seed accounts, users, searches and connections (the static part).
fn seed_directory(conn: &Connection, p: &SeedParams) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO accounts(id, member_id, company, client_id, client_secret, member_since, api_user) VALUES (1, '10001', 'KPN', ?1, ?2, '2015-03-01T00:00:00Z', 1)",
        params![p.client_a.0, p.client_a.1],
    )?;
    conn.execute(
        "INSERT INTO accounts(id, member_id, company, client_id, client_secret, member_since, api_user) VALUES (2, '20002', 'Sandbox Second BV', ?1, ?2, '2021-09-15T00:00:00Z', 101)",
        params![p.client_b.0, p.client_b.1],
    )?;
    for (client, account) in [(&p.client_a, 1), (&p.client_a2, 1), (&p.client_b, 2)] {
        conn.execute(
            "INSERT INTO clients(client_id, client_secret, account_id) VALUES (?1, ?2, ?3)",
            params![client.0, client.1, account],
        )?;
    }
    for u in &USERS {
        let first = u.name.split(' ').next().unwrap_or(u.name);
        conn.execute(
            "INSERT INTO users(id, account_id, name, first_name, email, admin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![u.id, u.account, u.name, first, u.email, u.admin],
        )?;
    }
    for (id, account, name, _) in SEARCHES {
        let sources: Vec<&str> = if account == 1 {
            Source::ALL.iter().map(|s| s.as_str()).collect()
        } else {
            vec!["twitter", "whatsapp"]
        };
        conn.execute(
            "INSERT INTO searches(id, account_id, name, tabs, sources) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                account,
                name,
                tabs_for(name).to_string(),
                serde_json::to_string(&sources).unwrap_or_default()
            ],
        )?;
    }
    for (id, account, name, source, default) in CONNECTIONS {
        conn.execute(
            "INSERT INTO connections(id, account_id, name, source, is_default) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, account, name, source.id(), default],
        )?;
    }
    Ok(())
}

fn make_persons(rng: &mut Rng, account: i64, count: usize, first_id: i64) -> Vec<PersonSeed> {
    (0..count)
        .map(|i| {
            let id = first_id + i as i64;
            let english = rng.chance(0.2);
            let (first, last) = if english {
                (
                    rng.pick(&FIRST_EN).copied().unwrap_or("James"),
                    rng.pick(&LAST_EN).copied().unwrap_or("Smith"),
                )
            } else {
                (
                    rng.pick(&FIRST_NL).copied().unwrap_or("Jan"),
                    rng.pick(&LAST_NL).copied().unwrap_or("Jansen"),
                )
            };
            let loc = if english && rng.chance(0.5) {
                LOCATIONS.len() - 1
            } else {
                rng.below((LOCATIONS.len() - 1) as u64) as usize
            };
            let handle_base: String = format!("{first}_{last}")
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            PersonSeed {
                id,
                account,
                first,
                name: format!("{first} {last}"),
                handle: format!("{handle_base}{id}"),
                loc,
                english,
            }
        })
        .collect()
}

/// Seed everything into an empty database, in the caller's transaction.
pub(crate) fn seed(conn: &Connection, p: &SeedParams) -> Result<(), rusqlite::Error> {
    let mut rng = Rng::new(p.seed);
    seed_directory(conn, p)?;

    // Persons of both accounts.
    let n_a = p.results;
    let n_b = SECOND_ACCOUNT_RESULTS;
    let persons_a = (n_a / 16).max(300);
    let mut persons = make_persons(&mut rng, 1, persons_a, 1);
    persons.extend(make_persons(&mut rng, 2, 12, persons_a as i64 + 1));
    {
        let mut stmt = conn.prepare_cached(
            "INSERT INTO persons(id, account_id, name, country, city, municipality, province, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for person in &persons {
            let l = &LOCATIONS[person.loc.min(LOCATIONS.len() - 1)];
            stmt.execute(params![
                person.id,
                person.account,
                person.name,
                l.country,
                l.city,
                l.municipality,
                l.province,
                if person.english { "en" } else { "nl" }
            ])?;
        }
    }

    // Profiles (person x source) and cases.
    let weights: Vec<u32> = PERSON_SOURCES.iter().map(|s| s.1).collect();
    let mut cases: Vec<CaseSeed> = Vec::new();
    let mut profile_id = 1i64;
    let mut case_id = FIRST_CASE_ID;
    {
        let mut prof = conn.prepare_cached(
            "INSERT INTO profiles(id, person_id, source, handle) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (idx, person) in persons.iter().enumerate() {
            let n_sources = 1 + rng.weighted(&[50, 35, 15]);
            let mut sources: Vec<Source> = Vec::new();
            for _ in 0..n_sources {
                let s = if person.account == 1 {
                    PERSON_SOURCES[rng.weighted(&weights)].0
                } else if rng.chance(0.6) {
                    Source::Twitter
                } else {
                    Source::Whatsapp
                };
                if !sources.contains(&s) {
                    sources.push(s);
                }
            }
            for s in sources {
                prof.execute(params![profile_id, person.id, s.id(), person.handle])?;
                let search = if person.account == 1 {
                    let w: Vec<u32> = SEARCHES.iter().take(3).map(|x| x.3).collect();
                    SEARCHES[rng.weighted(&w)].0
                } else {
                    101
                };
                let handlers: &[i64] = if person.account == 1 {
                    &HANDLERS_A
                } else {
                    &HANDLERS_B
                };
                let handler = if rng.chance(0.6) {
                    rng.pick(handlers).copied()
                } else {
                    None
                };
                let hosts = media_hosts(s);
                cases.push(CaseSeed {
                    id: case_id,
                    account: person.account,
                    search,
                    person: idx,
                    source: s,
                    profile: profile_id,
                    handler,
                    closed: false,
                    media_host: hosts[(person.id as usize) % hosts.len()],
                });
                profile_id += 1;
                case_id += 1;
            }
        }
    }

    // How many results each case gets.
    let mut counts = vec![0usize; cases.len()];
    for (account, total) in [(1i64, n_a), (2i64, n_b)] {
        let idx: Vec<usize> = (0..cases.len())
            .filter(|i| cases[*i].account == account)
            .collect();
        if idx.is_empty() {
            continue;
        }
        let w: Vec<u64> = idx
            .iter()
            .map(|_| 1 + rng.below(4) * rng.below(4))
            .collect();
        let sum: u64 = w.iter().sum::<u64>().max(1);
        let mut assigned = 0usize;
        for (k, i) in idx.iter().enumerate() {
            let c = (total as u128 * u128::from(w[k]) / u128::from(sum)) as usize;
            counts[*i] = c;
            assigned += c;
        }
        let mut k = 0usize;
        while assigned < total {
            let i = idx[(rng.below(idx.len() as u64) as usize + k) % idx.len()];
            counts[i] += 1;
            assigned += 1;
            k += 1;
        }
    }

    // Conversations: times and who speaks.
    let day = 86_400i64;
    let window_start = p.start - 60 * day;
    let mut events: Vec<Ev> = Vec::with_capacity(n_a + n_b);
    for (ci, case) in cases.iter_mut().enumerate() {
        let n = counts[ci];
        if n == 0 {
            continue;
        }
        let can_reply = conversational(case.source);
        let mut gaps = Vec::with_capacity(n);
        let mut owns = Vec::with_capacity(n);
        let mut prev_own = true;
        for k in 0..n {
            let own = k > 0 && can_reply && !prev_own && rng.chance(0.55);
            owns.push(own);
            prev_own = own;
            let gap = if k == 0 {
                0
            } else {
                match rng.weighted(&[60, 30, 10]) {
                    0 => rng.range(120, 3_600),
                    1 => rng.range(3_600, 12 * 3_600),
                    _ => rng.range(day, 4 * day),
                }
            };
            gaps.push(gap);
        }
        let span: i64 = gaps.iter().sum();
        let max_span = 55 * day;
        let scale = if span > max_span {
            max_span as f64 / span as f64
        } else {
            1.0
        };
        let span = (span as f64 * scale) as i64;
        let latest_start = (p.start - 120 - span).max(window_start);
        let mut t = rng.range(window_start, latest_start);
        for (k, gap) in gaps.iter().enumerate() {
            t += (*gap as f64 * scale) as i64;
            events.push(Ev {
                time: t.min(p.start - 60),
                case: ci as u32,
                seq: k as u32,
                own: owns[k],
            });
        }
        let last_own = owns.last().copied().unwrap_or(false);
        let last_time = t;
        case.closed =
            (last_own && rng.chance(0.7)) || (p.start - last_time > 14 * day && rng.chance(0.8));
    }
    events.sort_by_key(|e| (e.time, e.case, e.seq));

    // Replies: each own message answers the latest inbound message of its case.
    let mut parent: Vec<u32> = vec![u32::MAX; events.len()];
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); events.len()];
    {
        let mut last_inbound: Vec<u32> = vec![u32::MAX; cases.len()];
        for (i, e) in events.iter().enumerate() {
            let c = e.case as usize;
            if e.own {
                let p_idx = last_inbound[c];
                if p_idx != u32::MAX {
                    parent[i] = p_idx;
                    children[p_idx as usize].push(i as u32);
                }
            } else {
                last_inbound[c] = i as u32;
            }
        }
    }

    {
        let mut case_stmt = conn.prepare_cached(
            "INSERT INTO cases(id, account_id, search_id, person_id, source, handler, closed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (ci, case) in cases.iter().enumerate() {
            if counts[ci] == 0 {
                continue;
            }
            case_stmt.execute(params![
                case.id,
                case.account,
                case.search,
                persons[case.person].id,
                case.source.id(),
                case.handler,
                case.closed
            ])?;
        }
    }

    // Render (on a second thread) and insert (here) every result, in time order. The
    // generator is sequential, so the data is the same as a single-threaded run.
    type Rendered = (crate::db::ResultRow, Vec<(ActivityDoc, i64)>);
    let (row_tx, row_rx) = std::sync::mpsc::sync_channel::<Rendered>(2048);
    let start = p.start;
    std::thread::scope(|scope| -> Result<(), rusqlite::Error> {
        let producer = scope.spawn(move || {
            let mut sentiments = SentimentCache::new();
            let mut activity_id = 1i64;
            let mut privates: Vec<bool> = vec![false; events.len()];
            for (i, e) in events.iter().enumerate() {
                let id = FIRST_RESULT_ID + i as i64;
                let case = &cases[e.case as usize];
                let person = &persons[case.person];
                let l = &LOCATIONS[person.loc.min(LOCATIONS.len() - 1)];
                let api_user = if case.account == 1 { 1 } else { 101 };
                let (connections, default_connection) =
                    connections_for(case.account, case.source.id());
                let media = !conversational(case.source);
                let mut input = ResultInput {
                    id,
                    account_id: case.account,
                    search_id: case.search,
                    case_id: case.id,
                    person_id: person.id,
                    profile_id: case.profile,
                    source: case.source.id(),
                    time: e.time,
                    tbrank: rng.range(1, 10),
                    bookmarked: rng.chance(0.03),
                    language: if person.english { "en" } else { "nl" }.into(),
                    country: l.country.into(),
                    city: l.city.into(),
                    municipality: l.municipality.into(),
                    province: l.province.into(),
                    handler: case.handler,
                    case_closed: case.closed,
                    ..ResultInput::default()
                };
                if e.own {
                    let conn_name = connections
                        .iter()
                        .find(|c| Some(c.id) == default_connection)
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| "KPN".into());
                    let agent = case
                        .handler
                        .and_then(|h| USERS.iter().find(|u| u.id == h))
                        .map(|u| initials(u.name))
                        .unwrap_or_else(|| "KPN".into());
                    let template = if person.english {
                        rng.pick(&REPLIES_EN).copied().unwrap_or("")
                    } else {
                        rng.pick(&REPLIES_NL).copied().unwrap_or("")
                    };
                    let text = fill(template, &mut rng, person.english, l.city)
                        .replace("{name}", person.first)
                        .replace("{agent}", &agent);
                    let parent_id =
                        (parent[i] != u32::MAX).then(|| FIRST_RESULT_ID + i64::from(parent[i]));
                    input.own = true;
                    input.private = private_channel(case.source)
                        || privates.get(parent[i] as usize).copied().unwrap_or(false);
                    input.kind = if input.private { 4 } else { 3 };
                    input.status = status::NEW;
                    input.checked = true;
                    input.sentiment = sentiments.score(&text);
                    input.category = "Reactie".into();
                    input.title = conn_name.clone();
                    input.subtitle = conn_name.clone();
                    input.author_handle = conn_name.clone();
                    input.author_name = if case.account == 1 {
                        "KPN".into()
                    } else {
                        "Sandbox Second BV".into()
                    };
                    input.image = format!(
                        "https://avatars.sandbox.invalid/connections/{}.png",
                        default_connection.unwrap_or(0)
                    );
                    input.image_link = String::new();
                    input.link = link_for(case, person, id, true, &conn_name);
                    input.parent_id = parent_id;
                    input.description = text;
                } else {
                    let english = person.english;
                    let (category, text, title) = if media {
                        let (cat, h) = if english {
                            *rng.pick(&HEADLINES_EN).unwrap_or(&HEADLINES_EN[0])
                        } else {
                            *rng.pick(&HEADLINES_NL).unwrap_or(&HEADLINES_NL[0])
                        };
                        let headline = fill(h, &mut rng, english, l.city);
                        let mood = rng.weighted(&MOOD_WEIGHTS);
                        let table = if english { EN[mood] } else { NL[mood] };
                        let (_, body) = *rng.pick(table).unwrap_or(&("Vraag", ""));
                        let body = fill(body, &mut rng, english, l.city);
                        (cat, format!("{headline}. {body}"), headline)
                    } else {
                        let mood = rng.weighted(&MOOD_WEIGHTS);
                        let table = if english { EN[mood] } else { NL[mood] };
                        let (cat, t) = *rng.pick(table).unwrap_or(&("Vraag", ""));
                        let mut text = fill(t, &mut rng, english, l.city);
                        if case.search == 3 && rng.chance(0.5) {
                            text.push_str(if english {
                                " Thinking about switching to Ziggo."
                            } else {
                                " Misschien stap ik over naar Ziggo."
                            });
                        }
                        if case.source == Source::Twitter && rng.chance(0.5) {
                            let mention = if case.search == 2 {
                                "@KPNzakelijk "
                            } else if case.account == 2 {
                                "@SecondBV "
                            } else {
                                "@KPNwebcare "
                            };
                            text = format!("{mention}{text}");
                        }
                        (cat, text, person.name.clone())
                    };
                    let mut text = text;
                    let mut hashtags: Vec<String> = Vec::new();
                    if rng.chance(0.3) {
                        if let Some(tag) = rng.pick(hashtags_for(category)) {
                            text.push(' ');
                            text.push_str(tag);
                            hashtags.push(tag.to_string());
                        }
                    }
                    let mut labels: Vec<String> = Vec::new();
                    if case.search == 2 {
                        labels.push("zakelijk".into());
                    }
                    for _ in 0..rng.weighted(&[55, 35, 10]) {
                        if let Some(lb) = rng.pick(&LABELS) {
                            if !labels.iter().any(|x| x == lb) {
                                labels.push(lb.to_string());
                            }
                        }
                    }
                    let kind = match case.source {
                        Source::Whatsapp | Source::Irischat => 4,
                        Source::News | Source::Web | Source::Print | Source::Rtv => 1,
                        Source::Blogs | Source::Forums => 2,
                        Source::Facebook if rng.chance(0.01) => 5,
                        Source::Twitter | Source::Facebook | Source::Instagram => {
                            if rng.chance(0.2) {
                                4
                            } else if e.seq == 0 {
                                2
                            } else {
                                3
                            }
                        }
                        _ => 3,
                    };
                    let age = start - e.time;
                    let checked = if age > 2 * day {
                        rng.chance(0.9)
                    } else {
                        rng.chance(0.3)
                    };
                    let deleted = rng.chance(0.01);
                    let has_children = !children[i].is_empty();
                    let st = if deleted {
                        status::DELETED
                    } else if has_children {
                        status::REPLIED
                    } else if checked {
                        if rng.chance(0.5) {
                            status::OPENED
                        } else {
                            status::CLOSED
                        }
                    } else {
                        status::NEW
                    };
                    input.kind = kind;
                    input.private = kind == 4;
                    input.status = st;
                    input.checked = checked;
                    input.sentiment = sentiments.score(&text);
                    input.category = category.into();
                    input.labels = labels;
                    input.hashtags = hashtags;
                    input.subtitle = match case.source {
                        Source::Twitter | Source::Instagram => format!("@{}", person.handle),
                        s if media => {
                            case.media_host.trim_start_matches("www.").to_string()
                                + " / "
                                + s.as_str()
                        }
                        s => s.as_str().to_string(),
                    };
                    input.title = title;
                    input.author_handle = person.handle.clone();
                    input.author_name = person.name.clone();
                    input.image =
                        format!("https://avatars.sandbox.invalid/persons/{}.png", person.id);
                    input.image_link = profile_link(case.source, &person.handle);
                    input.link = link_for(case, person, id, false, "");
                    input.description = text;
                    input.reply_prefix = match case.source {
                        Source::Twitter | Source::Instagram => format!("@{} ", person.handle),
                        _ if english => format!("Hi {}, ", person.first),
                        _ => format!("Hoi {}, ", person.first),
                    };
                    input.reply_suffix = if case.account == 1 {
                        " ^KPN".into()
                    } else {
                        String::new()
                    };
                    if !conversational(case.source) {
                        input.reply_prefix.clear();
                        input.reply_suffix.clear();
                    }
                    // Activities: one `respond` per reply, plus open/close for opened/closed ones.
                    let actor = case.handler.unwrap_or(api_user);
                    for c in &children[i] {
                        let child = events[*c as usize];
                        let child_id = FIRST_RESULT_ID + i64::from(*c);
                        input.replies.push(child_id);
                        input.activities.push(ActivityDoc {
                            id: activity_id,
                            result_id: id,
                            actor: Some(actor),
                            activity: activity::RESPOND,
                            subject: format!("Reply {child_id}"),
                            time: rfc3339_secs(child.time),
                        });
                        activity_id += 1;
                    }
                    if st == status::OPENED || st == status::CLOSED {
                        let code = if st == status::OPENED {
                            activity::OPEN
                        } else {
                            activity::CLOSE
                        };
                        input.activities.push(ActivityDoc {
                            id: activity_id,
                            result_id: id,
                            actor: Some(actor),
                            activity: code,
                            subject: if code == activity::OPEN {
                                "Opened".into()
                            } else {
                                "Closed".into()
                            },
                            time: rfc3339_secs((e.time + 300).min(start - 1)),
                        });
                        activity_id += 1;
                    }
                }
                input.connections = if input.own { Vec::new() } else { connections };
                input.default_connection = if input.own { None } else { default_connection };
                privates[i] = input.private;
                let row = input.to_row();
                let acts: Vec<(ActivityDoc, i64)> = input
                    .activities
                    .into_iter()
                    .map(|a| {
                        let t = chrono::DateTime::parse_from_rfc3339(&a.time)
                            .map(|d| d.timestamp())
                            .unwrap_or(e.time);
                        (a, t)
                    })
                    .collect();
                if row_tx.send((row, acts)).is_err() {
                    return;
                }
            }
        });
        for (row, acts) in row_rx {
            insert_result(conn, &row)?;
            for (a, t) in acts {
                insert_activity(
                    conn,
                    Some(a.id),
                    a.result_id,
                    a.actor,
                    a.activity,
                    &a.subject,
                    t,
                )?;
            }
        }
        producer.join().map_err(|_| {
            rusqlite::Error::ToSqlConversionFailure("the seed generator panicked".into())
        })
    })?;
    let _ = start;

    meta_set(conn, "seed", &p.seed.to_string())?;
    meta_set(conn, "results", &p.results.to_string())?;
    meta_set(conn, "start", &p.start.to_string())?;
    meta_set(conn, "schema", crate::db::SCHEMA_VERSION)?;
    Ok(())
}

fn profile_link(source: Source, handle: &str) -> String {
    match source {
        Source::Twitter => format!("https://twitter.com/{handle}"),
        Source::Instagram => format!("https://www.instagram.com/{handle}/"),
        Source::Facebook => format!("https://www.facebook.com/{handle}"),
        Source::Linkedin => format!("https://www.linkedin.com/in/{handle}"),
        _ => String::new(),
    }
}

fn link_for(case: &CaseSeed, person: &PersonSeed, id: i64, own: bool, conn_name: &str) -> String {
    let who = if own {
        conn_name.trim_start_matches('@').replace(' ', "")
    } else {
        person.handle.clone()
    };
    match case.source {
        Source::Twitter => format!("https://twitter.com/{who}/status/{id}"),
        Source::Facebook => format!("https://www.facebook.com/KPN/posts/{id}"),
        Source::Instagram => format!("https://www.instagram.com/p/{id:x}/"),
        Source::Linkedin => format!("https://www.linkedin.com/feed/update/urn:li:activity:{id}"),
        Source::Whatsapp => format!("https://wa.sandbox.invalid/conversations/{}", case.id),
        Source::Irischat => format!("https://chat.kpn.example/conversations/{}", case.id),
        Source::Forums => format!("https://community.kpn.com/t/{id}"),
        _ => format!("https://{}/artikel/{id}", case.media_host),
    }
}

/// Facts about a new inbound message, derived the same way as the seed's.
pub(crate) struct InboundFacts {
    pub kind: i64,
    pub private: bool,
    pub link: String,
    pub subtitle: String,
    pub image_link: String,
    pub reply_prefix: String,
    pub reply_suffix: String,
}

/// Derive link, type, prefix, ... for an inbound message created at run time.
#[allow(clippy::too_many_arguments)]
pub(crate) fn inbound_facts(
    source: Source,
    account: i64,
    case_id: i64,
    id: i64,
    handle: &str,
    first_name: &str,
    english: bool,
    private: Option<bool>,
) -> InboundFacts {
    let private = private.unwrap_or_else(|| private_channel(source));
    let kind = if private {
        4
    } else {
        match source {
            Source::News | Source::Web | Source::Print | Source::Rtv => 1,
            Source::Blogs | Source::Forums => 2,
            _ => 3,
        }
    };
    let hosts = media_hosts(source);
    let host = hosts[(case_id as usize) % hosts.len()];
    let link = match source {
        Source::Twitter => format!("https://twitter.com/{handle}/status/{id}"),
        Source::Facebook => format!("https://www.facebook.com/KPN/posts/{id}"),
        Source::Instagram => format!("https://www.instagram.com/p/{id:x}/"),
        Source::Linkedin => format!("https://www.linkedin.com/feed/update/urn:li:activity:{id}"),
        Source::Whatsapp => format!("https://wa.sandbox.invalid/conversations/{case_id}"),
        Source::Irischat => format!("https://chat.kpn.example/conversations/{case_id}"),
        Source::Forums => format!("https://community.kpn.com/t/{id}"),
        _ => format!("https://{host}/artikel/{id}"),
    };
    let subtitle = match source {
        Source::Twitter | Source::Instagram => format!("@{handle}"),
        s => s.as_str().to_string(),
    };
    let conv = conversational(source);
    InboundFacts {
        kind,
        private,
        link,
        subtitle,
        image_link: profile_link(source, handle),
        reply_prefix: match source {
            Source::Twitter | Source::Instagram => format!("@{handle} "),
            _ if !conv => String::new(),
            _ if english => format!("Hi {first_name}, "),
            _ => format!("Hoi {first_name}, "),
        },
        reply_suffix: if account == 1 && conv {
            " ^KPN".into()
        } else {
            String::new()
        },
    }
}
