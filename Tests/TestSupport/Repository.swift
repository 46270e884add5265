/// The repository the tests run from, found from this source file
/// (`<root>/Tests/TestSupport/Repository.swift`): its `Data/`, `scripts/` and README.
public enum Repository {
    public static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()
}
