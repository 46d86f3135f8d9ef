/*
 * osd/confine.h - files a client named, copied into an image as file
 * content and only from inside their share.
 *
 * A client names folders and files under a share (driver sources, the
 * prestart folder, the background picture).  What the provider copies
 * into an image from there is file content: a symbolic link that stays in
 * the share is followed and its target's bytes are stored; one that leads
 * out of the share, or to nothing, is refused with a sentence naming it as
 * the client sees it.  No link ever reaches an image as a Windows reparse
 * point (a dangling link inside WinPE): the paths handed to wimlib are the
 * resolved targets, which are no links.
 *
 * What remains: the checks run while the plan is made and wimlib reads
 * the files when the image is written.  A local user who can write into
 * the share and swaps a checked file or folder for a link in between is
 * not stopped; wimlib then stores that link as a reparse point rather than
 * following it (the adds never ask it to follow links).
 */
#ifndef SMSPROV_OSD_CONFINE_H
#define SMSPROV_OSD_CONFINE_H

#include "osd/inject_plan.h"

/* Sets *real to the canonical path of the existing file path (every link
 * resolved) when it lies under the folder root (NULL: path's own folder).
 * shown names path in sentences, as the client wrote it.  Errors (each
 * with a sentence, and the failure recorded for the status queue):
 * SMSPROV_E_NOT_FOUND (2) the file is missing; SMSPROV_E_ACCESS_DENIED
 * (5) a link leads out of the share or to nothing; SMSPROV_E_INVALID_PARAMETER
 * (13) it is not a regular file. */
smsprov_code osd_confine_file(const char *root, const char *path, const char *shown, char **real,
                              osd_inject_failure *failure, smsprov_error *err);

/* Adds every file below the existing folder dir to plan under image_dir
 * (subfolders kept; an empty folder as an empty folder), each as file
 * content, confined to root (NULL: dir itself).  shown names dir in
 * sentences.  Errors as osd_confine_file, and SMSPROV_E_INVALID_PARAMETER
 * (13) for a link that loops back to a folder above it, a tree deeper than
 * 64 folders, or something that is neither a file nor a folder (a FIFO, a
 * device). */
smsprov_code osd_confine_add_folder(osd_inject_plan *plan, const char *root, const char *dir,
                                    const char *image_dir, const char *shown,
                                    osd_inject_failure *failure, smsprov_error *err);

#endif
