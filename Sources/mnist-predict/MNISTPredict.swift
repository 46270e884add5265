import ArgumentParser
import MNISTCommandLine
import MNISTNetwork
import MNISTPlumbing
import MNISTPredict

@main
struct MNISTPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-predict",
        abstract: "Classify your own pictures of handwritten digits with the MNIST network.",
        discussion: """
            Each IMAGE is a PNG (grey, RGB, RGBA or palette; 1 to 16 bits; interlaced or not), \
            a JPEG (grey, colour or CMYK; baseline, progressive or arithmetic; turned upright \
            as its EXIF orientation says) or a PGM/PPM (P2, P5, P3, P6; maxval up to 65535), \
            recognised by its content. \
            A photo, scan or drawing of one digit works: it is turned grey, evened out where \
            the light on the page is uneven, inverted if it is dark ink on light paper, \
            cleared of its background, cropped to the digit, scaled \
            to fit 20×20 and centred by its centre of mass in 28×28, as MNIST was made. \
            --no-preprocess takes a 28×28 image in MNIST's form (white ink on black) as is.

            A picture with no digit in it (blank, ink too faint, or marks too small) is not \
            classified: "<file>: no digit found (<why>)". An answer whose probability is \
            below 50% is flagged "(low confidence)". With --format json every IMAGE gets one \
            object, in order, with the keys file, status ("classified", "no_digit" or \
            "error"), predicted, probability, low_confidence, top3 and error; the keys that \
            do not apply are null.

            Examples:
              mnist-predict seven.png
              mnist-predict --show photo.jpg       also print the 28×28 input as text art
              mnist-predict --format json *.png

            Exit codes:
              0   every image classified
              64  usage error
              65  a malformed image (or weights), or one with no digit in it; the other
                  images are still classified
              66  a file that cannot be opened
            """,
        version: PackageVersion.string)

    static func main() { mainWithToolErrors() }

    @Argument(help: ArgumentHelp("PNG, JPEG, PGM or PPM pictures of one digit each.", valueName: "image"),
              completion: .file())
    var images: [String]

    @Option(help: ArgumentHelp("Weights in safetensors format (default: the shipped weights, built in).", valueName: "path"),
            completion: .file(extensions: ["safetensors"]))
    var weights: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Print the 28×28 input each image was classified from, as text art.")
    var show = false

    @Flag(help: "Use each image as is: it must be 28×28, white ink on black.")
    var noPreprocess = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
    }

    func run() throws {
        let network: Network
        do {
            network = try weights.map { try Network.load(path: $0).network } ?? Network.loadShipped().network
        } catch {
            Self.reportError("\(error)")
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
        // A bad image is reported and skipped, so one unreadable file in a
        // batch does not hide the answers for the others; the exit code is
        // the first failure's.
        let entries = PredictionEntry.predict(images, preprocess: !noPreprocess, network: network)
        for case .failed(let message, _) in entries.map(\.outcome) { Self.reportError(message) }
        print(format == .json ? PredictionReport.json(entries) : PredictionReport.text(entries, show: show),
              terminator: "")
        if let failure = entries.map(\.status).first(where: { $0 != .success }) { throw ExitCode(failure.rawValue) }
    }
}
