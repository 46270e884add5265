// swift-tools-version: 6.0
import PackageDescription

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The trainer's own loops (backpropagation, optimiser, augmentation) are
/// written with `SIMD8<Float>` and `addingProduct`. On the generic x86-64
/// target Swift lowers each lane's FMA to a scalar `fmaf` call (measured:
/// roughly 10× slower), so on an x86-64 host whose CPU has AVX2 and FMA the
/// trainer is compiled for Haswell, the oldest target with both. A host without
/// AVX2/FMA, or an arm64 host (NEON has FMA already), gets the default target.
/// `MNIST_TARGET_CPU=<cpu>` overrides the choice (`generic` disables it).
///
/// Only targets outside the `MNIST` library product get this flag: SwiftPM
/// refuses unsafe flags in a product that another package depends on by
/// version. The library's kernels are C (`CKernels`) with AVX2/FMA chosen at
/// run time, so a dependent's build is as fast as this package's own.
func targetCPUFlags() -> [String] {
    #if arch(x86_64)
    if let forced = ProcessInfoLite.environment("MNIST_TARGET_CPU") {
        return forced == "generic" ? [] : ["-target-cpu", forced]
    }
    guard let cpuinfo = ProcessInfoLite.contents(of: "/proc/cpuinfo"),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    return flags.contains("avx2") && flags.contains("fma") ? ["-target-cpu", "haswell"] : []
    #else
    return []
    #endif
}

/// Package manifests cannot import Foundation portably; read with libc.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    static func contents(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

let trainerTargetCPU: [SwiftSetting] = [.unsafeFlags(targetCPUFlags())]

/// How mnist-eval's and mnist-predict's release executables link on Linux.
///
/// By default as SwiftPM links any executable: a position-independent
/// executable (its code's address is randomised too, as Debian builds every
/// binary) that loads the Swift runtime from the toolchain's shared libraries.
///
/// `MNIST_STATIC_EXECUTABLE=1` opts into a fully static executable: no
/// dynamic loader and nothing to map or relocate at start-up, a few
/// milliseconds less per run, and a binary that runs without the toolchain
/// (README, "Install"). The costs: a fixed address for the executable's own
/// code (glibc's static-PIE start-up rejects the Swift runtime's relocations),
/// glibc's link-time warnings that `getpwnam_r` and friends need its shared
/// libraries at run time, and naming FoundationEssentials' private helper
/// libraries, which the toolchain does not link by itself.
func executableLinking() -> [LinkerSetting] {
    guard ProcessInfoLite.environment("MNIST_STATIC_EXECUTABLE") == "1" else { return [] }
    let release = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
    return [
        .unsafeFlags(["-static-executable"], release),
        .linkedLibrary("_FoundationCollections", release),
        .linkedLibrary("_FoundationCShims", release),
        .linkedLibrary("swiftSynchronization", release),
    ]
}

let package = Package(
    name: "MNIST",
    products: [
        .library(name: "MNIST", targets: ["MNIST"]),
        .executable(name: "mnist-eval", targets: ["mnist-eval"]),
        .executable(name: "mnist-train", targets: ["mnist-train"]),
        .executable(name: "mnist-predict", targets: ["mnist-predict"]),
        .executable(name: "mnist-bench", targets: ["mnist-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target MNIST`: the API reference and articles (Sources/MNIST/MNIST.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // zlib, through Debian's zlib1g-dev; shim.h wraps the macros Swift cannot import.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // PNG through libpng (Debian's libpng-dev); CPNG.c keeps libpng's setjmp error handling in C.
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png")]),
        // libxml2, through Debian's libxml2-dev, for the tests only: XML Schema validation of the JUnit XML.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // The gzip trailer's CRC-32: carry-less multiply where the CPU has it, zlib's otherwise.
        .target(name: "CChecksum", dependencies: ["CZlib"]),
        // The bottom module, what every layer uses and no domain module owns: the POSIX file
        // layer and errno's text, exit statuses and the tools' error lines, number formats,
        // the JSON value, thread counts and starting threads. Only C leaves below it.
        .target(name: "MNISTPlumbing", dependencies: ["CFormat", "CThread"]),
        // Reading: gzip streams (zlib, CChecksum's CRC-32) and IDX files, image/label pairing.
        .target(name: "MNISTData", dependencies: ["CZlib", "CChecksum", "MNISTPlumbing"]),
        // The shipped weights, compiled into the binaries with C23's #embed.
        .target(name: "CShippedModel"),
        // The network: safetensors weights, dense layers, kernels, batch classifier.
        .target(name: "MNISTNetwork", dependencies: ["CKernels", "CShippedModel", "MNISTPlumbing"]),
        // Evaluation: the reader/classifier pipeline, the tally, metrics, baseline comparison, gates,
        // and the predictions CSV it streams (and reads back as a baseline).
        .target(name: "MNISTEvaluation", dependencies: ["MNISTData", "MNISTNetwork", "MNISTPlumbing"]),
        // Reports of an evaluation, pure renderers: text, JSON, JUnit XML, Markdown summary, pictures.
        .target(name: "MNISTReport", dependencies: ["MNISTEvaluation", "MNISTPictures", "MNISTPlumbing"]),
        // snprintf's fixed-point formatting, callable from Swift without varargs.
        // (valgrind 3.19 reads no DWARF 5: profile a build made with -Xcc -gdwarf-4.)
        .target(name: "CFormat"),
        // The inference kernels: AVX2 + FMA where the CPU has them (chosen at run time), portable otherwise.
        .target(name: "CKernels"),
        // Threads: starting one on another CPU than its parent's (pthread affinity), spin-wait hints.
        .target(name: "CThread"),
        // JPEG through libjpeg-turbo (Debian's libjpeg-dev); CJPEG.c keeps libjpeg's setjmp error handling in C.
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        // Pictures: PNG (CPNG), JPEG (CJPEG) and PGM/PPM files, bitmap font, canvas, text art.
        .target(name: "MNISTPictures", dependencies: ["CPNG", "CJPEG", "MNISTPlumbing"]),
        // Classifying the user's own images: MNIST-style preprocessing, top-3 predictions, reports.
        .target(name: "MNISTPredict", dependencies: ["MNISTPictures", "MNISTNetwork", "MNISTPlumbing"]),
        // The library's one import: load weights, classify images and pictures, evaluate IDX files.
        .target(name: "MNIST", dependencies: ["MNISTData", "MNISTNetwork", "MNISTEvaluation", "MNISTReport", "MNISTPredict"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "MNISTData", "MNISTNetwork", "TestSupport"]),
        // Backpropagation, optimiser, augmentation: produces the shipped weights.
        .target(name: "MNISTTraining", dependencies: ["MNISTData", "MNISTNetwork", "MNISTPlumbing", "CZlib"],
                swiftSettings: trainerTargetCPU),

        // The tools' shared command-line plumbing over swift-argument-parser.
        .target(
            name: "MNISTCommandLine",
            dependencies: ["MNISTPlumbing", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "mnist-eval",
            dependencies: [
                "MNISTCommandLine", "MNISTData", "MNISTNetwork", "MNISTEvaluation", "MNISTReport", "MNISTPictures",
                "MNISTPlumbing", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: executableLinking()
        ),
        .executableTarget(
            name: "mnist-train",
            dependencies: [
                "MNISTCommandLine", "MNISTData", "MNISTNetwork", "MNISTTraining", "MNISTPlumbing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: trainerTargetCPU
        ),
        .executableTarget(
            name: "mnist-predict",
            dependencies: [
                "MNISTCommandLine", "MNISTPredict", "MNISTNetwork", "MNISTPlumbing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: executableLinking()
        ),

        // libFuzzer targets (scripts/fuzz.sh). Each is a plain executable that
        // prints how to build it unless compiled with -DFUZZING and
        // -sanitize=fuzzer, so the normal build never links libFuzzer.
        .target(name: "FuzzSupport", dependencies: ["MNISTData", "MNISTNetwork", "MNISTPlumbing"], path: "Sources/Fuzz/FuzzSupport"),
        .executableTarget(name: "fuzz-gzip", dependencies: ["FuzzSupport", "MNISTData"], path: "Sources/Fuzz/fuzz-gzip"),
        .executableTarget(name: "fuzz-idx", dependencies: ["FuzzSupport", "MNISTData"], path: "Sources/Fuzz/fuzz-idx"),
        .executableTarget(name: "fuzz-weights", dependencies: ["FuzzSupport", "MNISTNetwork"], path: "Sources/Fuzz/fuzz-weights"),
        .executableTarget(
            name: "fuzz-pairing",
            dependencies: ["FuzzSupport", "MNISTData", "MNISTNetwork", "MNISTEvaluation"],
            path: "Sources/Fuzz/fuzz-pairing"
        ),
        .executableTarget(
            name: "fuzz-image",
            dependencies: ["FuzzSupport", "MNISTPictures", "MNISTPredict"],
            path: "Sources/Fuzz/fuzz-image"
        ),

        // In-process timings for scripts/bench.sh (forward only, read + inflate only).
        .executableTarget(
            name: "mnist-bench",
            dependencies: ["MNISTData", "MNISTNetwork", "MNISTPlumbing"]
        ),

        .testTarget(name: "MNISTDataTests", dependencies: ["MNISTData", "CZlib", "CChecksum", "TestSupport"]),
        .testTarget(name: "MNISTNetworkTests", dependencies: ["MNISTNetwork", "MNISTData", "CKernels", "TestSupport"]),
        // What more than one test target uses: temporary folders, the repository's root,
        // running the built tools and other programs.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // XML Schema validation through libxml2, apart from TestSupport: libxml2's headers bring the
        // system's ICU, whose UErrorCode clashes with Foundation's own ICU in one module.
        .target(name: "XMLSchemaSupport", dependencies: ["CLibXML2"], path: "Tests/XMLSchemaSupport"),
        .testTarget(name: "MNISTPlumbingTests", dependencies: ["MNISTPlumbing"]),
        .testTarget(name: "MNISTReportTests",
                    dependencies: ["MNISTReport", "MNISTEvaluation", "MNISTPictures", "MNISTPlumbing", "MNISTData", "MNISTNetwork", "TestSupport",
                                   "XMLSchemaSupport"]),
        .testTarget(name: "MNISTTrainingTests", dependencies: ["MNISTTraining", "MNISTNetwork", "MNISTData", "TestSupport"],
                    swiftSettings: trainerTargetCPU),
        .testTarget(name: "MNISTPicturesTests", dependencies: ["MNISTPictures", "MNISTPlumbing", "CZlib", "TestSupport"]),
        .testTarget(name: "MNISTPredictTests",
                    dependencies: ["MNISTPredict", "MNISTPictures", "MNISTNetwork", "MNISTData", "MNISTEvaluation", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["MNISTData", "MNISTNetwork", "MNISTPictures", "TestSupport", "XMLSchemaSupport"]),
    ],
    // C23 for #embed (CShippedModel).
    cLanguageStandard: .c2x
)
