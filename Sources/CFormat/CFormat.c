#include "CFormat.h"

#include <stdio.h>

int cformat_fixed(char *buffer, size_t capacity, int decimals, double value) {
    return snprintf(buffer, capacity, "%.*f", decimals, value);
}
