use crate::open_enum::open_enum;

open_enum! {
    /// How often the backup policy takes the kind of snapshot a snapshot is (`frequencyType`).
    pub enum FrequencyType {
        /// Taken every few hours.
        Hourly = "hourly",
        /// Taken once a day.
        Daily = "daily",
        /// Taken once a week.
        Weekly = "weekly",
        /// Taken once a month.
        Monthly = "monthly",
    }
}
