import Foundation
import MNISTData
import MNISTPictures
import Testing
import TestSupport

/// The built `mnist-predict` on pictures made here, and `mnist-eval`'s
/// picture options: output, files written and exit codes.
@Suite struct MNISTPredictCommandTests {
    /// t10k image `index` (a 7 for index 0) drawn 3× as dark ink on a white
    /// 120×100 page, as a raw PGM.
    static func drawnDigit(_ index: Int) throws -> [UInt8] {
        let reader = try IDXImageReader(path: Repository.root + "/Data/t10k-images-idx3-ubyte.gz")
        var pixels = [UInt8](repeating: 0, count: (index + 1) * 784)
        _ = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: index + 1, into: $0) }
        var page = [UInt8](repeating: 255, count: 120 * 100)
        for y in 0..<84 { for x in 0..<84 { page[(y + 9) * 120 + x + 25] = 255 - pixels[index * 784 + (y / 3) * 28 + x / 3] } }
        return Array("P5\n120 100\n255\n".utf8) + page
    }

    @Test func predictsADrawnSevenWithItsTopThree() throws {
        let fixture = Fixture()
        try fixture.write("seven.pgm", Self.drawnDigit(0))
        let output = try CommandRunner.run("mnist-predict", [fixture.file("seven.pgm"), "--show"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.first == "\(fixture.file("seven.pgm")): 7")
        #expect(lines.dropFirst().first?.hasPrefix("  top 3: 7 ") == true)
        #expect(lines.count == 2 + 30, "a 28-row frame of text art follows")
    }

    /// `drawnDigit(index)` as a phone stores a picture taken holding it
    /// sideways: the page turned 90° anticlockwise, as an RGB JPEG whose EXIF
    /// orientation (6) says to turn it clockwise to show it.
    static func sidewaysPhoto(_ index: Int) throws -> [UInt8] {
        let page = Array(try drawnDigit(index).suffix(120 * 100))
        var stored: [UInt8] = []
        for y in 0..<120 { for x in 0..<100 { stored += Array(repeating: page[x * 120 + (119 - y)], count: 3) } }
        let jpeg = try JPEGFile.encode(stored, width: 100, height: 120, components: 3, quality: 85)
        let tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8] + [0, 1] + [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]
            + [0, 0, 0, 0]
        let exif = Array("Exif\0\0".utf8) + tiff
        return Array(jpeg[0..<2]) + [0xFF, 0xE1, 0, UInt8(exif.count + 2)] + exif + Array(jpeg[2...])
    }

    @Test func predictsASidewaysJPEGPhotoTurnedUprightByItsEXIFOrientation() throws {
        let fixture = Fixture()
        try fixture.write("seven_photo.jpg", Self.sidewaysPhoto(0))
        let output = try CommandRunner.run("mnist-predict", [fixture.file("seven_photo.jpg")])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.hasPrefix("\(fixture.file("seven_photo.jpg")): 7\n"), "\(output.stdout)")
    }

    @Test func worksFromAnotherDirectoryWithTheBuiltInWeights() throws {
        let fixture = Fixture()
        try fixture.write("seven.pgm", Self.drawnDigit(0))
        let elsewhere = try CommandRunner.run("mnist-predict", ["seven.pgm", "--format", "json"], in: fixture.path)
        let atRoot = try CommandRunner.run("mnist-predict", [fixture.file("seven.pgm"), "--format", "json"])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(elsewhere.stdout == atRoot.stdout.replacingOccurrences(of: fixture.file("seven.pgm"), with: "seven.pgm"))
    }

    @Test func jsonHasOneObjectPerImageWithTheDocumentedKeys() throws {
        let fixture = Fixture()
        try fixture.write("a.pgm", Self.drawnDigit(0))
        try fixture.write("b.pgm", Self.drawnDigit(1))
        let output = try CommandRunner.run("mnist-predict", ["--format", "json", fixture.file("a.pgm"), fixture.file("b.pgm")])
        #expect(output.status == 0, "\(output.stderr)")
        let items = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items.map { Set($0.keys) } == Array(repeating: Self.jsonKeys, count: 2))
        #expect(items.map { $0["predicted"] as? Int } == [7, 2])
        #expect(items.map { $0["status"] as? String } == ["classified", "classified"])
        #expect(items.map { $0["low_confidence"] as? Bool } == [false, false])
        #expect(items.allSatisfy { $0["error"] is NSNull })
        let top3 = try #require(items[0]["top3"] as? [[String: Any]])
        #expect(top3.count == 3 && top3.allSatisfy { Set($0.keys) == ["digit", "probability"] })
    }

    static let jsonKeys: Set<String> = ["file", "status", "predicted", "probability", "low_confidence", "top3", "error"]

    /// A white page, and one shaded from white to a third as bright, with nothing on them.
    static func blankPages() -> (white: [UInt8], shaded: [UInt8]) {
        let white = Array("P5\n120 100\n255\n".utf8) + [UInt8](repeating: 250, count: 120 * 100)
        let shaded = Array("P5\n120 100\n255\n".utf8) + (0..<(120 * 100)).map { UInt8(250 - 170 * ($0 % 120) / 119) }
        return (white, shaded)
    }

    @Test func jsonListsEveryInputOnceInOrderWithItsError() throws {
        let fixture = Fixture()
        try fixture.write("a.pgm", Self.drawnDigit(0))
        try fixture.write("blank.pgm", Self.blankPages().white)
        try fixture.write("b.pgm", Self.drawnDigit(1))
        try fixture.write("cut.pgm", Array("P5\n10 10\n255\n".utf8) + [1, 2])
        let files = ["a.pgm", "missing.png", "blank.pgm", "cut.pgm", "b.pgm"].map(fixture.file)
        let output = try CommandRunner.run("mnist-predict", ["--format", "json"] + files)
        #expect(output.status == 66, "the first failure's status: missing.png cannot be opened")
        let items = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["file"] as? String } == files)
        #expect(items.allSatisfy { Set($0.keys) == Self.jsonKeys })
        #expect(items.map { $0["status"] as? String } == ["classified", "error", "no_digit", "error", "classified"])
        #expect(items.map { $0["predicted"] as? Int } == [7, nil, nil, nil, 2])
        for item in [items[1], items[2], items[3]] {
            #expect(item["predicted"] is NSNull && item["probability"] is NSNull && item["top3"] is NSNull
                    && item["low_confidence"] is NSNull)
        }
        #expect(items[1]["error"] as? String == "\(files[1]): cannot open: No such file or directory")
        #expect((items[2]["error"] as? String)?.hasPrefix("\(files[2]): no digit found (blank: ") == true)
        #expect((items[3]["error"] as? String)?.hasPrefix("\(files[3]): truncated PGM/PPM data") == true)
        // The failures keep their stderr lines; a page with no digit is an answer, not an error.
        #expect(output.stderr.split(separator: "\n").map(String.init)
                == [items[1], items[3]].map { "mnist-predict: error: \($0["error"] as? String ?? "")" })
    }

    @Test func aPageWithNoDigitIsSaidSoAndExits65() throws {
        let fixture = Fixture()
        let (white, shaded) = Self.blankPages()
        try fixture.write("blank.pgm", white)
        try fixture.write("shaded.pgm", shaded)
        try fixture.write("seven.pgm", Self.drawnDigit(0))
        for name in ["blank.pgm", "shaded.pgm"] {
            let output = try CommandRunner.run("mnist-predict", [fixture.file(name), fixture.file("seven.pgm")])
            #expect(output.status == 65)
            let lines = output.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("\(fixture.file(name)): no digit found (") == true, "\(output.stdout)")
            #expect(lines.dropFirst().first == "\(fixture.file("seven.pgm")): 7")
            #expect(output.stderr.isEmpty)
        }
    }

    @Test func aLowConfidenceAnswerIsFlagged() throws {
        let fixture = Fixture()
        try fixture.writeWeights()  // an untrained network: no digit gets even odds
        try fixture.write("seven.pgm", Self.drawnDigit(0))
        let text = try CommandRunner.run("mnist-predict", ["--weights", fixture.file("w.safetensors"), fixture.file("seven.pgm")])
        let json = try CommandRunner.run("mnist-predict", ["--weights", fixture.file("w.safetensors"), "--format", "json",
                                                           fixture.file("seven.pgm")])
        #expect(text.status == 0 && json.status == 0, "\(text.stderr)")
        let item = try #require((JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.first)
        let probability = try #require(item["probability"] as? Double)
        #expect(probability < 0.5)
        #expect(item["low_confidence"] as? Bool == true)
        #expect(text.stdout.hasPrefix("\(fixture.file("seven.pgm")): \(item["predicted"] as? Int ?? -1) (low confidence)\n"))
    }

    @Test(arguments: [
        ("not-an-image.png", Array("hello".utf8), Int32(65), "not an image"),
        ("empty.pgm", [], 65, "empty file"),
        ("cut.pgm", Array("P5\n10 10\n255\n".utf8) + [1, 2], 65, "truncated PGM/PPM data"),
    ] as [(String, [UInt8], Int32, String)])
    func badImageIsReportedAndTheOthersStillClassified(_ name: String, _ bytes: [UInt8], _ status: Int32, _ problem: String) throws {
        let fixture = Fixture()
        try fixture.write(name, bytes)
        try fixture.write("seven.pgm", Self.drawnDigit(0))
        let output = try CommandRunner.run("mnist-predict", [fixture.file(name), fixture.file("seven.pgm")])
        #expect(output.status == status)
        #expect(output.stderr.hasPrefix("mnist-predict: error: \(fixture.file(name)): \(problem)"), "\(output.stderr)")
        #expect(output.stdout.hasPrefix("\(fixture.file("seven.pgm")): 7"))
    }

    @Test func missingImageExits66() throws {
        let output = try CommandRunner.run("mnist-predict", ["no-such-digit.png"])
        #expect(output.status == 66)
        #expect(output.stderr == "mnist-predict: error: no-such-digit.png: cannot open: No such file or directory\n")
    }

    @Test func noPreprocessRefusesAPictureThatIsNot28By28() throws {
        let fixture = Fixture()
        try fixture.write("big.pgm", Self.drawnDigit(0))
        let output = try CommandRunner.run("mnist-predict", ["--no-preprocess", fixture.file("big.pgm")])
        #expect(output.status == 65)
        #expect(output.stderr.contains("--no-preprocess needs a 28×28 image; found 120×100"))
    }

    @Test func evalWritesBothPicturesAndShowsErrorsAsText() throws {
        let fixture = Fixture()
        try fixture.writeSubset(count: 500)
        let output = try CommandRunner.run("mnist-eval", [
            fixture.file("subset-images-idx3-ubyte.gz"), "--misclassified", fixture.file("m.png"), "--max-images", "3",
            "--confusion", fixture.file("c.png"), "--show", "2",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        for picture in ["m.png", "c.png"] {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.file(picture))))
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(picture) is a PNG")
        }
        #expect(output.stdout.components(separatedBy: "  true ").count - 1 == 2, "two digits shown")
    }

    @Test func picturesNeedLabels() throws {
        let fixture = Fixture()
        try fixture.writeSubset(count: 20)
        try FileManager.default.removeItem(atPath: fixture.file("subset-labels-idx1-ubyte.gz"))
        let output = try CommandRunner.run("mnist-eval", [fixture.file("subset-images-idx3-ubyte.gz"),
                                                          "--confusion", fixture.file("c.png")])
        #expect(output.status == 66)
        #expect(output.stderr.contains("--confusion needs labels"))
    }
}
