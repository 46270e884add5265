import MNISTPlumbing

/// Finds the labels file that belongs to an images file, so that
/// `mnist-eval t10k-images-idx3-ubyte.gz` can report accuracy unasked.
///
/// The rule works on the file name only (never on directories): `images`
/// becomes `labels` and `idx3` becomes `idx1`, which covers the dash and dot
/// spellings (`t10k-images-idx3-ubyte`, `t10k-images.idx3-ubyte`,
/// `t10k-images.gz`). Each candidate is tried with the images file's
/// compression first, then the other one (`.gz` added or removed).
public enum LabelsLocator {
    /// Candidate labels paths, most likely first; empty when the name has
    /// neither `images` nor `idx3` (never the images path itself).
    public static func candidates(forImages path: String) -> [String] {
        let directory: Substring
        let name: Substring
        if let slash = path.lastIndex(of: "/") {
            directory = path[...slash]
            name = path[path.index(after: slash)...]
        } else {
            directory = ""
            name = path[...]
        }
        let renamed = name.replacing("images", with: "labels").replacing("idx3", with: "idx1")
        guard renamed != name else { return [] }
        let gzipSuffix = ".gz"
        let other = renamed.hasSuffix(gzipSuffix) ? String(renamed.dropLast(gzipSuffix.count)) : renamed + gzipSuffix
        return [String(renamed), other].filter { !$0.isEmpty }.map { directory + $0 }
    }

    /// The first candidate that exists (as anything but a directory).
    public static func locate(forImages path: String) -> String? {
        candidates(forImages: path).first { FileDescriptor.isFile($0) }
    }
}
