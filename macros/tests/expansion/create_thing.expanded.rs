pub trait Things: AtlasClient {
    /// Create a thing, then (with `.wait()`) poll it until it is ready.
    fn create_thing(
        &self,
        group_id: &str,
        body: &NewThing,
    ) -> Call<Thing, WaitFor<Thing>>
    where
        Self: ::atlas_endpoints::__private::AtlasClient,
    {
        static __ATLAS_ENDPOINT: ::atlas_endpoints::__private::Endpoint = ::atlas_endpoints::__private::Endpoint::builder(
                ::atlas_endpoints::__private::Method::Post,
                "create_thing",
                "/groups/<group_id>/things",
                &[
                    ::atlas_endpoints::__private::Segment::Literal("/groups/"),
                    ::atlas_endpoints::__private::Segment::Param(0),
                    ::atlas_endpoints::__private::Segment::Literal("/things"),
                ],
                &[::atlas_endpoints::__private::PathParam::new("group_id", "groupId")],
            )
            .body()
            .version("2024-11-13")
            .module_path(::core::module_path!())
            .build();
        ::atlas_endpoints::__private::inventory::submit! {
            ::atlas_endpoints::__private::CatalogEntry(& __ATLAS_ENDPOINT)
        }
        static __ATLAS_WAIT: ::atlas_endpoints::__private::WaitRule = ::atlas_endpoints::__private::WaitRule::new(
                "get_thing",
            )
            .timeout(::core::time::Duration::from_millis(3600000u64));
        ::atlas_endpoints::__private::attach(
            ::atlas_endpoints::__private::endpoint_call(
                ::atlas_endpoints::__private::AtlasClient::atlas_client(self),
                &__ATLAS_ENDPOINT,
                &[::atlas_endpoints::__private::AsRef::<str>::as_ref(&group_id)],
                &[],
                ::core::option::Option::Some(body),
            ),
            {
                let __atlas_poll: ::atlas_endpoints::__private::Call<Thing, _> = self
                    .get_thing(group_id, ::atlas_endpoints::__private::DEFERRED[0usize]);
                __atlas_poll
            },
            &__ATLAS_WAIT,
            |__atlas_resource| ::atlas_endpoints::__private::read_state(
                ::atlas_endpoints::__private::StateField::<
                    ThingStatus,
                >::state(&__atlas_resource.status),
                |__atlas_state: &ThingStatus| match __atlas_state {
                    ThingStatus::Pending => {
                        ::atlas_endpoints::__private::Verdict::Pending
                    }
                    ThingStatus::Ready => ::atlas_endpoints::__private::Verdict::Target,
                    ThingStatus::Failed => ::atlas_endpoints::__private::Verdict::Failed,
                    #[allow(unreachable_patterns)]
                    _ => ::atlas_endpoints::__private::Verdict::Unexpected,
                },
            ),
            || ::atlas_endpoints::__private::StateNames {
                pending: ::std::vec![
                    ::atlas_endpoints::__private::state_name(& ThingStatus::Pending)
                ],
                target: ::std::vec![
                    ::atlas_endpoints::__private::state_name(& ThingStatus::Ready)
                ],
                failed: ::std::vec![
                    ::atlas_endpoints::__private::state_name(& ThingStatus::Failed)
                ],
            },
            |__atlas_answer| {
                ::std::vec![
                    ::atlas_endpoints::__private::answer_value(& __atlas_answer.id)
                ]
            },
        )
    }
}
