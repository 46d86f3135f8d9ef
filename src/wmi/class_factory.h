/* wmi/class_factory.h - the IClassFactory that makes provider objects. */
#ifndef SMSPROV_WMI_CLASS_FACTORY_H
#define SMSPROV_WMI_CLASS_FACTORY_H

#include "wmi/wmi.h"

HRESULT wmi_class_factory_create(REFIID riid, void **out);

#endif
