//! Endpoints declared by hand for the runtime's own tests.

use crate::endpoint::{CommonParams, Endpoint, Method, PathParam, Segment};
use crate::pattern::OBJECT_ID;

/// `GET /groups/<group_id>/things/<thing>`: a patterned id and a free-text value.
pub(crate) static FREE_TEXT: Endpoint = Endpoint {
    rust_name: "get_thing",
    operation_id: None,
    method: Method::Get,
    template: "/groups/<group_id>/things/<thing>",
    segments: &[
        Segment::Literal("/groups/"),
        Segment::Param(0),
        Segment::Literal("/things/"),
        Segment::Param(1),
    ],
    path_params: &[
        PathParam {
            name: "group_id",
            wire_name: "groupId",
            pattern: Some(&OBJECT_ID),
        },
        PathParam {
            name: "thing",
            wire_name: "thing",
            pattern: None,
        },
    ],
    query_params: &[],
    common: CommonParams::ALL,
    has_body: false,
    version: "2023-01-01",
    paginated: false,
    idempotent: false,
    deprecated: None,
};
