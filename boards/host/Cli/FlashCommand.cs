using System.CommandLine;
using System.Text;
using CotaFirmware.App;
using CotaFirmware.Config;
using CotaFirmware.Cota;
using CotaFirmware.Host.Board;

namespace CotaFirmware.Host.Cli;

/// <summary><c>flash</c>: shows what a virtual device holds in its flash folder (both config slots, the trial, a
/// download being staged) through the core's <see cref="ConfigStore"/>, without starting the device or writing anything.</summary>
public static class FlashCommand
{
    /// <summary>The command, its argument and its action.</summary>
    public static Command Definition()
    {
        var dir = CommandOptions.FolderArgument("dir",
            "the device's flash folder: `device --flash <f>` keeps device <name>'s in <f>/<name>, the demo's `--keep <k>` in <k>/flash-demo-1");
        var command = new CommandWithNotes("flash", "Show what a virtual device holds in flash, without starting it (nothing is written).", """
            Shows each config slot (configId, size, SHA-256 and whether the content matches it, sequence, role: active,
            last good, rolled back; or a download that never became a config: still landing, or refused, as the device's
            result log says), the trial (boots so far, the board's limit), a pending reboot and a download being staged.
            """)
        {
            dir,
        };
        command.SetAction(r => Run(r.GetValue(dir)!, r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string folder, TextWriter output)
    {
        if (!Directory.Exists(folder))
        {
            throw new UsageException("no such flash folder: " + folder);
        }

        var board = HostBoard.Apply(new DeviceSettings(null));
        var storage = new FileStorage(folder);
        var store = new ConfigStore(storage, new byte[4096], board.MaxConfigSize, board.MaxTrialBoots);
        store.Inspect();
        output.WriteLine("flash " + folder + " (read only; the device was not started)");
        for (int slot = ConfigSlot.A; slot <= ConfigSlot.B; slot++)
        {
            output.WriteLine(Slot(store, storage, board.Cota, slot));
        }

        output.WriteLine(store.IsOnTrial
            ? "trial     the active config is on trial: " + store.TrialBoots + " of " + board.MaxTrialBoots
              + " boots started; it is rolled back unless the cloud confirms it"
            : "trial     none (the active config is confirmed)");
        if (store.RebootWasPending)
        {
            output.WriteLine("reboot    pending: a config asked for a reboot that has not happened yet");
        }

        if (store.HoldsNewerRecord)
        {
            output.WriteLine("newer     a slot or the trial state was written by a newer firmware in a format this one cannot read; it is left as it is");
        }

        output.WriteLine(storage.Length(RangeDownload.ProgressArea) > 0
            ? "download  in progress (" + RangeDownload.ProgressArea + "): it resumes into the slot that holds no config yet"
            : "download  none in progress");
        return 0;
    }

    private static string Slot(ConfigStore store, FileStorage storage, CotaSettings cota, int slot)
    {
        string name = "slot " + (slot == ConfigSlot.A ? "A" : "B");
        int length = store.SlotLength(slot);
        var id = new byte[ConfigStore.MaxConfigIdLength];
        if (length < 0)
        {
            int raw = storage.Length(ConfigSlot.AreaOf(slot));
            int staged = raw < 0 ? -1 : store.CopyStagedConfigId(slot, id, 0);
            return name + "    " + (raw < 0 ? "empty"
                : staged < 0 ? "no config (" + raw + " bytes, torn or corrupt; never run)"
                : Staged(store, storage, cota, slot, id, staged, raw - ConfigStore.HeaderSize));
        }

        int idLength = store.CopySlotConfigId(slot, id, 0);
        var digest = new byte[ConfigStore.DigestSize];
        store.CopySlotDigest(slot, digest, 0);
        string role = slot == store.ActiveSlot ? (store.IsOnTrial ? "active, on trial" : "active")
            : store.IsSlotRejected(slot) ? "rolled back, never runs again"
            : slot == store.LastGoodSlot ? "last good (the rollback target)"
            : "previous config";
        return name + "    " + role + ": config " + Encoding.UTF8.GetString(id, 0, idLength) + ", " + length + " bytes, sha256 "
            + Convert.ToHexString(digest).ToLowerInvariant()[..16] + "... content matches";
    }

    // A download that never became a config: still landing, or ended; the device's result log says how.
    private static string Staged(ConfigStore store, FileStorage storage, CotaSettings cota, int slot, byte[] id, int idLength, int landed)
    {
        string config = "config " + Encoding.UTF8.GetString(id, 0, idLength);
        int total = store.StagedLength(slot);
        var result = CotaService.StoredResult(storage, cota, id, 0, idLength);
        if (landed < total)
        {
            return "no config: " + config + " being downloaded, " + landed + " of " + total + " bytes here"
                + (result == CotaStatus.None ? "" : " (its last result: " + CotaNames.ResultStatus(result) + ", " + CotaNames.Of(result) + ")") + "; never run";
        }

        return result == CotaStatus.Rejected
            ? "rejected: " + config + ", " + total + " bytes downloaded in full and refused by the device when it validated it (its result: rejected); never runs"
            : result == CotaStatus.None
                ? "no config: " + config + ", " + total + " bytes downloaded in full, not committed (no result for it yet); never run"
                : "no config: " + config + ", " + total + " bytes downloaded in full, not committed: its result " + CotaNames.ResultStatus(result)
                  + " (" + CotaNames.Of(result) + "); never runs";
    }
}
