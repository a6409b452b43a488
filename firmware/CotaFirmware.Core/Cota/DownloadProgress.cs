namespace CotaFirmware.Cota;

/// <summary>Told how far a download has come: <paramref name="received"/> of <paramref name="total"/> bytes are staged.</summary>
public delegate void DownloadProgress(long received, long total);
