#ifndef MNIST_CLIBXML2_SHIM_H
#define MNIST_CLIBXML2_SHIM_H

// libxml2's XML Schema validation, for the tests only: the JUnit XML that
// mnist-eval writes is checked against the schema Jenkins and GitLab read.

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <string.h>

/// Keeps the first error libxml2 reports, as "line N: message".
static void cxml_keepFirstError(void *buffer, xmlErrorPtr error) {
    char *text = (char *)buffer;
    if (text[0] != '\0' || error == NULL) return;
    snprintf(text, 512, "line %d: %s", error->line, error->message ? error->message : "(no message)");
    size_t length = strlen(text);
    if (length > 0 && text[length - 1] == '\n') text[length - 1] = '\0';
}

/// Validates the `length` bytes at `xml` against the XSD file at `schemaPath`.
/// Returns 0 when valid, 1 when not (or not well-formed), -1 when the schema
/// itself cannot be read; `error` (512 bytes) receives the first error.
static inline int cxml_validate(const char *schemaPath, const char *xml, int length, char *error) {
    error[0] = '\0';
    xmlSetStructuredErrorFunc(error, cxml_keepFirstError);
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(schemaPath);
    xmlSchemaPtr schema = parser ? xmlSchemaParse(parser) : NULL;
    if (parser) xmlSchemaFreeParserCtxt(parser);
    if (schema == NULL) {
        xmlSetStructuredErrorFunc(NULL, NULL);
        return -1;
    }
    int result = 1;
    xmlDocPtr document = xmlReadMemory(xml, length, "junit.xml", NULL, XML_PARSE_NONET);
    if (document) {
        xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
        if (validator) {
            xmlSchemaSetValidStructuredErrors(validator, cxml_keepFirstError, error);
            result = xmlSchemaValidateDoc(validator, document) == 0 ? 0 : 1;
            xmlSchemaFreeValidCtxt(validator);
        }
        xmlFreeDoc(document);
    }
    xmlSchemaFree(schema);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return result;
}

#endif
