public import TraderCore
import TraderData

/// Parses dates and datetimes typed by users (`--start 2010-01-01`) with the same rules as data
/// files: ISO dates, ISO datetimes with optional zone, epoch seconds or milliseconds.
public enum DateInput {
    public static func parse(_ text: String) -> Timestamp? { TimestampParser.parse(text) }
}
