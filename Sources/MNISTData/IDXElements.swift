/// The elements of an IDX array, decoded from big-endian to native values.
public enum IDXElements: Sendable, Equatable {
    case uint8([UInt8])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case float32([Float])
    case float64([Double])
}
