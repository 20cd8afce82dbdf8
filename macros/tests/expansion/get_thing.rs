pub trait Things: AtlasClient {
    /// Return one thing.
    #[atlas_endpoint(
        GET,
        "/groups/<group_id>/things/<thing>",
        version = "2024-11-13",
        operation_id = "getGroupThing",
        deprecated = "use get_widget"
    )]
    fn get_thing(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = "^[a-z]+$", rename = "thingName")] thing: &str,
        #[query] include_deleted: Option<bool>,
    ) -> Call<Thing>;
}
