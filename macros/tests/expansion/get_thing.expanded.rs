pub trait Things: AtlasClient {
    /// Return one thing.
    #[deprecated(note = "use get_widget")]
    fn get_thing(
        &self,
        group_id: &str,
        thing: &str,
        include_deleted: Option<bool>,
    ) -> Call<Thing>
    where
        Self: ::atlas_endpoints::__private::AtlasClient,
    {
        static __ATLAS_PATTERN_0: ::atlas_endpoints::__private::Pattern = ::atlas_endpoints::__private::Pattern::new(
            "^([a-f0-9]{24})$",
        );
        static __ATLAS_PATTERN_1: ::atlas_endpoints::__private::Pattern = ::atlas_endpoints::__private::Pattern::new(
            "^[a-z]+$",
        );
        static __ATLAS_ENDPOINT: ::atlas_endpoints::__private::Endpoint = ::atlas_endpoints::__private::Endpoint::builder(
                ::atlas_endpoints::__private::Method::Get,
                "get_thing",
                "/groups/<group_id>/things/<thing>",
                &[
                    ::atlas_endpoints::__private::Segment::Literal("/groups/"),
                    ::atlas_endpoints::__private::Segment::Param(0),
                    ::atlas_endpoints::__private::Segment::Literal("/things/"),
                    ::atlas_endpoints::__private::Segment::Param(1),
                ],
                &[
                    ::atlas_endpoints::__private::PathParam::with_pattern(
                        "group_id",
                        "groupId",
                        &__ATLAS_PATTERN_0,
                    ),
                    ::atlas_endpoints::__private::PathParam::with_pattern(
                        "thing",
                        "thingName",
                        &__ATLAS_PATTERN_1,
                    ),
                ],
            )
            .operation_id("getGroupThing")
            .query_params(
                &[
                    ::atlas_endpoints::__private::QueryParam::new(
                        "include_deleted",
                        "includeDeleted",
                    ),
                ],
            )
            .version("2024-11-13")
            .deprecated("use get_widget")
            .module_path(::core::module_path!())
            .build();
        ::atlas_endpoints::__private::inventory::submit! {
            ::atlas_endpoints::__private::CatalogEntry(& __ATLAS_ENDPOINT)
        }
        ::atlas_endpoints::__private::endpoint_call(
            ::atlas_endpoints::__private::AtlasClient::atlas_client(self),
            &__ATLAS_ENDPOINT,
            &[
                ::atlas_endpoints::__private::AsRef::<str>::as_ref(&group_id),
                ::atlas_endpoints::__private::AsRef::<str>::as_ref(&thing),
            ],
            &[&include_deleted as &dyn ::atlas_endpoints::__private::QueryValue],
            ::core::option::Option::None::<&()>,
        )
    }
}
