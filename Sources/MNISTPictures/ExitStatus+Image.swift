import MNISTReport

extension ExitStatus {
    /// `ExitStatus(for:)` extended to picture errors, which the report layer
    /// cannot see: a file that cannot be opened or written is 66, a malformed
    /// image 65, like malformed IDX data.
    public init(forAny error: any Error) {
        if let error = error as? ImageError {
            self = error.isUnreadableFile ? .cannotOpen : .dataError
        } else {
            self.init(for: error)
        }
    }
}
