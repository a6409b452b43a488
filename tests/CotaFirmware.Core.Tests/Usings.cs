// What nearly every shared test and helper names, said once: System, the seams and their doubles. Every device
// project that links these files links this one too.
global using System;
global using CotaFirmware.Platform;
global using CotaFirmware.Tests.Linkkit;
global using CotaFirmware.Tests.Platform;
