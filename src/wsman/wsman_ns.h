/* wsman_ns.h - the XML namespaces of WS-Management, as the Windows client
 * writes them.  The parser matches namespace
 * URIs, never prefixes; the writer uses Windows' prefixes. */
#ifndef SMSPROV_WSMAN_NS_H
#define SMSPROV_WSMAN_NS_H

#define NS_SOAP "http://www.w3.org/2003/05/soap-envelope"
#define NS_ADDRESSING "http://schemas.xmlsoap.org/ws/2004/08/addressing"
#define NS_WSMAN "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
#define NS_ENUMERATION "http://schemas.xmlsoap.org/ws/2004/09/enumeration"
#define NS_TRANSFER "http://schemas.xmlsoap.org/ws/2004/09/transfer"
#define NS_MSWSMAN "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"
#define NS_CIMBINDING "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd"
#define NS_IDENTITY "http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd"
#define NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define NS_CIM "http://schemas.dmtf.org/wbem/wscim/1/common"
#define NS_WSMANFAULT "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

#define ADDRESS_ANONYMOUS "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"

#define ACTION_TRANSFER NS_TRANSFER "/"
#define ACTION_GET "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get"
#define ACTION_PUT "http://schemas.xmlsoap.org/ws/2004/09/transfer/Put"
#define ACTION_CREATE "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create"
#define ACTION_DELETE "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete"
#define ACTION_ENUMERATE "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate"
#define ACTION_PULL "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Pull"
#define ACTION_RELEASE "http://schemas.xmlsoap.org/ws/2004/09/enumeration/Release"

#define DIALECT_WQL "http://schemas.microsoft.com/wbem/wsman/1/WQL"
#define DIALECT_WQL_SHORT "http://microsoft.com/wbem/wsman/1/WQL"
#define DIALECT_SELECTOR "http://schemas.dmtf.org/wbem/wsman/1/wsman/SelectorFilter"

#define FAULT_DETAIL_BASE "http://schemas.dmtf.org/wbem/wsman/1/wsman/faultDetail/"

#endif
