/// The package's release, as the tools' `--version` prints it; tagged in git
/// as the same string, which dependents name in `.package(url:from:)`.
public enum PackageVersion {
    public static let string = "1.0.0"
}
