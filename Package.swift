// swift-tools-version: 6.0
import PackageDescription

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The trainer's hot loops (MNISTTraining) are written with `SIMD8<Float>` and
/// `addingProduct`. On the generic x86-64 target Swift lowers each lane's FMA
/// to a scalar `fmaf` call (measured: roughly 20× slower), so on an x86-64 host
/// whose CPU has AVX2 and FMA we compile for Haswell, the oldest target with
/// both. Haswell code runs on every AVX2 machine (with or without AVX-512), so
/// the binary and its results are the same everywhere it runs. A host without
/// AVX2/FMA, or an arm64 host (NEON has FMA already), gets the default target.
/// `MNIST_TARGET_CPU=<cpu>` overrides the choice (`generic` disables it).
///
/// The inference modules do without: a package that depends on this one by
/// version cannot pass unsafe flags, so their FMA loops are C (CKernels), with
/// an AVX2 + FMA build chosen at run time.
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

let optimised: [SwiftSetting] = [.unsafeFlags(targetCPUFlags())]

/// mnist-eval's and mnist-predict's release builds are fully static
/// executables: each run is a short process, and a CI gate's time is mostly
/// start-up and inflating. Measured with hyperfine on `mnist-eval --help`:
/// 12.2 ms with shared Swift libraries, 8.7 ms with `-static-stdlib` (the
/// C and C++ runtimes, zlib, libpng and libdeflate still shared), and
/// (interleaved runs, another day) 5.9 ms against 3.7 ms fully static, with
/// t10k end to end 28.6 against 27.0 ms. There is then no dynamic loader, no
/// shared library to map and relocate, and no relocation of the executable.
/// The cost: glibc's static PIE loader rejects the Swift runtime's relocations
/// (an assertion at start-up), so the executable's own code and data sit at
/// fixed addresses; its stack, heap and mappings are still randomised.
/// `-static-executable` alone misses the libraries FoundationEssentials.a
/// needs; naming them puts them in the same link group. Debug builds (and the
/// tests) stay dynamic.
let staticRuntime: [LinkerSetting] = [
    .unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
    .linkedLibrary("swiftSynchronization", .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "MNIST",
    products: [
        .library(name: "MNIST", targets: ["MNISTData", "MNISTNetwork", "MNISTReport", "MNISTTraining",
                                          "MNISTPictures", "MNISTPredict"]),
        .executable(name: "mnist-eval", targets: ["mnist-eval"]),
        .executable(name: "mnist-train", targets: ["mnist-train"]),
        .executable(name: "mnist-predict", targets: ["mnist-predict"]),
        .executable(name: "mnist-bench", targets: ["mnist-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // zlib, through Debian's zlib1g-dev; shim.h wraps the macros Swift cannot import.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // libpng, through Debian's libpng-dev; shim.h keeps libpng's setjmp error handling in C.
        .systemLibrary(
            name: "CPNG",
            providers: [.apt(["libpng-dev"])]
        ),
        // The gzip trailer's CRC-32: carry-less multiply where the CPU has it, zlib's otherwise.
        .target(name: "CChecksum", dependencies: ["CZlib"]),
        // Reading: gzip streams (zlib, CChecksum's CRC-32) and IDX files, image/label pairing.
        .target(name: "MNISTData", dependencies: ["CZlib", "CChecksum"]),
        // The network: safetensors weights, dense layers, kernels, batch classifier.
        .target(name: "MNISTNetwork", dependencies: ["CFormat", "CThread", "CKernels"]),
        // Evaluation pipeline and its reports: text, JSON, CSV predictions.
        .target(name: "MNISTReport", dependencies: ["MNISTData", "MNISTNetwork"]),
        // snprintf's fixed-point formatting, callable from Swift without varargs.
        // DWARF 4: valgrind 3.19 (Debian 12) gives up on clang's DWARF 5 and
        // could not profile any binary that links this target.
        .target(name: "CFormat", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // The inference kernels: AVX2 + FMA where the CPU has them (chosen at run time), portable otherwise.
        .target(name: "CKernels"),
        // Threads: starting one on another CPU than its parent's (pthread affinity), spin-wait hints.
        .target(name: "CThread", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        // Pictures: PNG (libpng) and PGM/PPM files, bitmap font, misclassified grid, heat map, text art.
        .target(name: "MNISTPictures", dependencies: ["CPNG", "MNISTReport"]),
        // Classifying the user's own images: MNIST-style preprocessing, top-3 predictions, reports.
        .target(name: "MNISTPredict", dependencies: ["MNISTPictures", "MNISTNetwork", "MNISTReport"]),
        // Backpropagation, optimiser, augmentation: produces the shipped weights.
        .target(name: "MNISTTraining", dependencies: ["MNISTData", "MNISTNetwork", "CZlib"], swiftSettings: optimised),

        .executableTarget(
            name: "mnist-eval",
            dependencies: [
                "MNISTData", "MNISTNetwork", "MNISTReport", "MNISTPictures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised,
            linkerSettings: staticRuntime
        ),
        .executableTarget(
            name: "mnist-train",
            dependencies: [
                "MNISTData", "MNISTNetwork", "MNISTTraining", "MNISTReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised
        ),
        .executableTarget(
            name: "mnist-predict",
            dependencies: [
                "MNISTData", "MNISTPictures", "MNISTPredict", "MNISTNetwork", "MNISTReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised,
            linkerSettings: staticRuntime
        ),

        // libFuzzer targets (scripts/fuzz.sh). Each is a plain executable that
        // prints how to build it unless compiled with -DFUZZING and
        // -sanitize=fuzzer, so the normal build never links libFuzzer.
        .target(name: "FuzzSupport", dependencies: ["MNISTData", "MNISTNetwork"], path: "Sources/Fuzz/FuzzSupport"),
        .executableTarget(name: "fuzz-gzip", dependencies: ["FuzzSupport", "MNISTData"], path: "Sources/Fuzz/fuzz-gzip"),
        .executableTarget(name: "fuzz-idx", dependencies: ["FuzzSupport", "MNISTData"], path: "Sources/Fuzz/fuzz-idx"),
        .executableTarget(name: "fuzz-weights", dependencies: ["FuzzSupport", "MNISTNetwork"], path: "Sources/Fuzz/fuzz-weights"),
        .executableTarget(
            name: "fuzz-pairing",
            dependencies: ["FuzzSupport", "MNISTData", "MNISTNetwork", "MNISTReport"],
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
            dependencies: ["MNISTData", "MNISTNetwork", "MNISTReport"],
            swiftSettings: optimised
        ),

        .testTarget(name: "MNISTDataTests", dependencies: ["MNISTData", "CZlib", "CChecksum"], swiftSettings: optimised),
        .testTarget(name: "MNISTNetworkTests", dependencies: ["MNISTNetwork", "MNISTData", "CKernels"], swiftSettings: optimised),
        .testTarget(name: "MNISTReportTests", dependencies: ["MNISTReport", "MNISTData", "MNISTNetwork"], swiftSettings: optimised),
        .testTarget(name: "MNISTTrainingTests", dependencies: ["MNISTTraining", "MNISTNetwork", "MNISTData"], swiftSettings: optimised),
        .testTarget(name: "MNISTPicturesTests", dependencies: ["MNISTPictures", "MNISTReport", "CZlib"], swiftSettings: optimised),
        .testTarget(name: "MNISTPredictTests",
                    dependencies: ["MNISTPredict", "MNISTPictures", "MNISTNetwork", "MNISTData"], swiftSettings: optimised),
        .testTarget(name: "EndToEndTests", dependencies: ["MNISTData", "MNISTNetwork"], swiftSettings: optimised),
    ]
)
