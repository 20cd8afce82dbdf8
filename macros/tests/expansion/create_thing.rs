pub trait Things: AtlasClient {
    /// Create a thing, then (with `.wait()`) poll it until it is ready.
    #[atlas_endpoint(
        POST,
        "/groups/<group_id>/things",
        version = "2024-11-13",
        wait(
            poll = get_thing(group_id, response.id),
            state = status: ThingStatus,
            pending = [Pending],
            target = [Ready],
            failed = [Failed],
            timeout = "1h",
        )
    )]
    fn create_thing(
        &self,
        group_id: &str,
        #[body] body: &NewThing,
    ) -> Call<Thing, WaitFor<Thing>>;
}
