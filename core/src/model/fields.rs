//! The fields of a result the client names, and the lookup from a key to one: shared by the
//! typed decoder and the JSON transcoder.

use super::WebcareResult;

/// The text fields, in output order (`timestamp`, `sourceName` and `tbrank` go after `time`,
/// `defaultConnection` after `draft`).
pub(crate) const TEXT_KEYS: [&str; 13] = [
    "caseId",
    "personId",
    "profileId",
    "link",
    "title",
    "subtitle",
    "description",
    "image",
    "imageLink",
    "time",
    "draft",
    "replyPrefix",
    "replySuffix",
];
pub(crate) const TIME: usize = 9;
pub(crate) const DRAFT: usize = 10;

/// The text fields of a typed result, in [`TEXT_KEYS`] order.
pub(crate) fn texts(r: &WebcareResult) -> [&Option<String>; 13] {
    [
        &r.case_id,
        &r.person_id,
        &r.profile_id,
        &r.link,
        &r.title,
        &r.subtitle,
        &r.description,
        &r.image,
        &r.image_link,
        &r.time,
        &r.draft,
        &r.reply_prefix,
        &r.reply_suffix,
    ]
}

/// The text field of a typed result at `i` in [`TEXT_KEYS`] order.
pub(crate) fn text_mut(r: &mut WebcareResult, i: usize) -> Option<&mut Option<String>> {
    Some(match i {
        0 => &mut r.case_id,
        1 => &mut r.person_id,
        2 => &mut r.profile_id,
        3 => &mut r.link,
        4 => &mut r.title,
        5 => &mut r.subtitle,
        6 => &mut r.description,
        7 => &mut r.image,
        8 => &mut r.image_link,
        TIME => &mut r.time,
        DRAFT => &mut r.draft,
        11 => &mut r.reply_prefix,
        12 => &mut r.reply_suffix,
        _ => return None,
    })
}

/// The fields the client names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum F {
    UniqueId,
    SearchId,
    Private,
    Own,
    Source,
    Type,
    Status,
    Sentiment,
    Checked,
    Bookmarked,
    Tbrank,
    TagsList,
    Activities,
    Replies,
    Notes,
    AvailableConnections,
    DefaultConnection,
    ReplyAvailable,
    LikeAvailable,
    Text(usize),
}

/// The field a key names: by length first, so an unknown key costs a compare or two.
pub(crate) fn field(k: &str) -> Option<F> {
    let f = match k.len() {
        3 if k == "own" => F::Own,
        4 => match k {
            "link" => F::Text(3),
            "time" => F::Text(TIME),
            "type" => F::Type,
            _ => return None,
        },
        5 => match k {
            "title" => F::Text(4),
            "image" => F::Text(7),
            "notes" => F::Notes,
            "draft" => F::Text(DRAFT),
            _ => return None,
        },
        6 => match k {
            "caseId" => F::Text(0),
            "source" => F::Source,
            "status" => F::Status,
            "tbrank" => F::Tbrank,
            _ => return None,
        },
        7 => match k {
            "private" => F::Private,
            "checked" => F::Checked,
            "replies" => F::Replies,
            _ => return None,
        },
        8 => match k {
            "uniqueId" => F::UniqueId,
            "searchId" => F::SearchId,
            "personId" => F::Text(1),
            "subtitle" => F::Text(5),
            "tagsList" => F::TagsList,
            _ => return None,
        },
        9 => match k {
            "profileId" => F::Text(2),
            "imageLink" => F::Text(8),
            "sentiment" => F::Sentiment,
            _ => return None,
        },
        10 => match k {
            "bookmarked" => F::Bookmarked,
            "activities" => F::Activities,
            _ => return None,
        },
        11 => match k {
            "description" => F::Text(6),
            "replyPrefix" => F::Text(11),
            "replySuffix" => F::Text(12),
            _ => return None,
        },
        13 if k == "likeAvailable" => F::LikeAvailable,
        14 if k == "replyAvailable" => F::ReplyAvailable,
        17 if k == "defaultConnection" => F::DefaultConnection,
        20 if k == "availableConnections" => F::AvailableConnections,
        _ => return None,
    };
    Some(f)
}
