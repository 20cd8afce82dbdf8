//! Endpoints declared by hand for the runtime's own tests.

use crate::endpoint::{Endpoint, Method, PathParam, Segment};
use crate::pattern::{Pattern, OBJECT_ID};

/// `$method /groups/<group_id>/$collection/<$param>`: an endpoint of one item of a project's
/// collection, the project's id patterned; `$item` describes the item's path parameter.
macro_rules! project_item {
    ($method:ident, $name:literal, $collection:literal, $param:literal, $item:expr) => {
        Endpoint::builder(
            Method::$method,
            $name,
            concat!("/groups/<group_id>/", $collection, "/<", $param, ">"),
            &[
                Segment::Literal("/groups/"),
                Segment::Param(0),
                Segment::Literal(concat!("/", $collection, "/")),
                Segment::Param(1),
            ],
            &[
                PathParam::with_pattern("group_id", "groupId", &OBJECT_ID),
                $item,
            ],
        )
    };
}

/// `GET /groups/<group_id>/things/<thing>`: a patterned id and a free-text value.
pub(crate) static FREE_TEXT: Endpoint = project_item!(
    Get,
    "get_thing",
    "things",
    "thing",
    PathParam::new("thing", "thing")
)
.build();

/// `POST /groups/<group_id>/accessList`, serialized by its project.
pub(crate) static ACCESS_LIST_CREATE: Endpoint = Endpoint::builder(
    Method::Post,
    "create",
    "/groups/<group_id>/accessList",
    &[
        Segment::Literal("/groups/"),
        Segment::Param(0),
        Segment::Literal("/accessList"),
    ],
    &[PathParam::new("group_id", "groupId")],
)
.serialize_by(0)
.build();

/// A CIDR block in the spec's `entryValue` pattern, written for the encoded slash.
pub(crate) static ENCODED_CIDR: Pattern = Pattern::new(
    r"^([0-9]{1,3}\.){3}[0-9]{1,3}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){7}[0-9a-f]{1,4}(%2[fF][0-9]{1,3})?|([0-9a-f]{1,4}\:){1,6}\:(%2[fF][0-9]{1,3})?$",
);

/// `DELETE /groups/<group_id>/accessList/<entry_value>`, serialized by its project, with the
/// spec's patterns: an object id, and [`ENCODED_CIDR`].
pub(crate) static ACCESS_LIST_DELETE: Endpoint = project_item!(
    Delete,
    "delete_entry",
    "accessList",
    "entry_value",
    PathParam::with_pattern("entry_value", "entryValue", &ENCODED_CIDR)
)
.serialize_by(0)
.build();
