//! Endpoints declared by hand for the runtime's own tests.

use crate::endpoint::{Endpoint, Method, PathParam, Segment};
use crate::pattern::OBJECT_ID;

/// `GET /groups/<group_id>/things/<thing>`: a patterned id and a free-text value.
pub(crate) static FREE_TEXT: Endpoint = Endpoint::builder(
    Method::Get,
    "get_thing",
    "/groups/<group_id>/things/<thing>",
    &[
        Segment::Literal("/groups/"),
        Segment::Param(0),
        Segment::Literal("/things/"),
        Segment::Param(1),
    ],
    &[
        PathParam::with_pattern("group_id", "groupId", &OBJECT_ID),
        PathParam::new("thing", "thing"),
    ],
)
.build();
