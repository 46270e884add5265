import MNISTPictures
import Testing

/// Text art and the bitmap font behind the pictures' captions.
@Suite struct TextArtTests {
    @Test func shadesRunFromBlankForNoInkToAtForFullInk() {
        #expect(TextArt.shade(0) == " ")
        #expect(TextArt.shade(1) == ".", "the faintest stroke still shows")
        #expect(TextArt.shade(255) == "@")
        let levels = (0...255).map { TextArt.shades.firstIndex(of: TextArt.shade(UInt8($0)))! }
        #expect(levels == levels.sorted(), "darker never maps to a lighter shade")
    }

    @Test func rendersEachPixelTwoCharactersWideInsideAFrame() {
        var pixels = [UInt8](repeating: 0, count: 4)
        pixels[1] = 255
        #expect(TextArt.render(pixels, size: 2) == ["+----+", "|  @@|", "|    |", "+----+"])
        #expect(TextArt.render(pixels, size: 2, trimBlankRows: true) == ["+----+", "|  @@|", "+----+"])
    }

    @Test func fontHasEveryCharacterTheCaptionsUse() {
        let captions = ["MISCLASSIFIED: 60 OF 107", "REGRESSED: 10 OF 31", "#INDEX  TRUE>PREDICTED CONFIDENCE", "PREDICTED", "TRUE",
                        "#0123456789", "9>4 100%", "-./"]
        for character in captions.joined() {
            #expect(BitmapFont.glyph(character) != nil, "no glyph for \(character)")
        }
        for (character, rows) in "0123456789".map({ ($0, BitmapFont.glyph($0)!) }) {
            #expect(rows.count == BitmapFont.glyphHeight && rows.allSatisfy { $0.count == BitmapFont.glyphWidth },
                    "\(character) is 5×7")
        }
    }
}
