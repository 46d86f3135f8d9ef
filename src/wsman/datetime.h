/* datetime.h - CIM DATETIME as WS-Management carries it: xs:dateTime for a
 * timestamp, xs:duration for an interval (DSP0230), and xs:duration for the
 * protocol's own timeouts. */
#ifndef SMSPROV_WSMAN_DATETIME_H
#define SMSPROV_WSMAN_DATETIME_H

#include <stdbool.h>
#include <stdint.h>

/* "20240131120000.123456+060" -> "2024-01-31T12:00:00.123456+01:00" and
 * "00000001020304.000005:000" -> "P1DT2H3M4.000005S".  NULL when the value
 * has asterisks (it then travels as a DMTF string) or does not parse.
 * *is_interval tells which.  Caller frees. */
char *wsman_datetime_to_xml(const char *dmtf, bool *is_interval);

/* Accepts an xs:dateTime, an xs:duration (days, hours, minutes, seconds) or
 * a DMTF string, and writes the 25-character DMTF form into out (26 bytes).
 * false when the text is none of these. */
bool wsman_datetime_from_xml(const char *text, char *out);

/* An xs:duration without years or months ("PT60.000S", "PT1M30S",
 * "P1DT2H") in microseconds; false when malformed or negative. */
bool wsman_duration_us(const char *text, int64_t *out);

#endif
