/* provider_location.h - root\sms\SMS_ProviderLocation, written from the
 * site configuration so that clients can discover the site namespace. */
#ifndef SMSPROV_SMS_PROVIDER_LOCATION_H
#define SMSPROV_SMS_PROVIDER_LOCATION_H

#include "sms/site.h"

#define SMS_PROVIDER_NAMESPACE "root\\sms"

/* Stores this site's SMS_ProviderLocation instance (replacing any earlier
 * one, for instance after the site code changed). */
smsprov_code sms_write_provider_location(smsprov_site *site, smsprov_error *err);

#endif
