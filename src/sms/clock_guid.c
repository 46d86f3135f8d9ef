/* clock_guid.c - the two fresh values the provider stamps on objects: the
 * current time and a GUID (SedoObjectVersion). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "platform/platform.h"
#include "sms/site.h"

char *sms_new_guid(void)
{
    unsigned char b[16];
    platform_random_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    return cim_xasprintf("%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
                         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
                         b[11], b[12], b[13], b[14], b[15]);
}

cim_value sms_datetime_now(void)
{
    cim_datetime now;
    cim_datetime_now(&now);
    char text[CIM_DATETIME_LEN + 1];
    cim_datetime_format(&now, text);
    return cim_value_datetime(text);
}
