using CotaFirmware.Config;
using CotaFirmware.Platform;
using CotaFirmware.Text;

namespace CotaFirmware.Cota;

// An accepted offer's course: its download, the applier's verdict, the trial until contact confirms it or the deadline
// rolls it back, and its end; after a boot, picking up where the last one left it.
public sealed partial class CotaService
{
    // Any sign that the cloud reaches the device: confirms a config on trial.
    private void Contact()
    {
        if (_stage == Stage.Trial && !_applier.RebootRequested)
        {
            ConfirmTrial();
        }
    }

    private void StepDownload(long now)
    {
        if (_stage == Stage.Waiting)
        {
            // Not before the connection: after a boot the network may still be coming up, and a download started
            // then would spend its attempts on it and end with a result the cloud should never have had.
            if (now - _startAt >= 0 && _device.IsConnected)
            {
                _stage = Stage.Downloading;
                _downloadsStarted++;
                CotaStatus started = _download.Start(_offer);
                if (started != CotaStatus.Running)
                {
                    DownloadEnded(started);
                }
            }
        }
        else
        {
            // None: the download was let go by a DownloadEnded that an exception cut short (out of memory for a log
            // line, say); its outcome is concluded again.
            CotaStatus outcome = _download.Step();
            if (outcome != CotaStatus.Running)
            {
                DownloadEnded(outcome == CotaStatus.None ? _ending : outcome);
            }
        }
    }

    private void DownloadEnded(CotaStatus outcome)
    {
        _ending = outcome;
        EndDownload(outcome);
        _ending = CotaStatus.None;
    }

    private void EndDownload(CotaStatus outcome)
    {
        if (outcome != CotaStatus.Ok)
        {
            Log(LogLevel.Warning, "config " + OfferIdText() + " download failed: " + CotaNames.Of(outcome)
                + (outcome == CotaStatus.RetriesExhausted ? " (last: " + CotaNames.Of(_download.LastFailure) + ")" : ""));
            _storageError = _download.StorageError;
            ConfigStatus storeStatus = _download.StoreStatus;

            // The attempt record first: a cut before the offer is let go leaves it owned, with its attempts anew.
            _download.Discard();
            Conclude(outcome, storeStatus);
            return;
        }

        Log(LogLevel.Info, "config " + OfferIdText() + " downloaded, verified and sealed in the store");
        _download.Discard();
        ConfigStatus applied;
        try
        {
            applied = _applier.ApplyCandidate();
        }
        catch (System.OutOfMemoryException)
        {
            // A log line's string, say (the board's loop goes on after one): committed on trial, the config may have
            // reached only some modules, so it is rolled back; not committed, it goes, and a later offer may bring it.
            if (_store.IsOnTrial && ActiveIsOffer())
            {
                RollBackTrial(CotaStatus.ModuleFailed);
            }
            else
            {
                _store.Abort();
                Conclude(CotaStatus.OutOfMemory, ConfigStatus.Ok);
            }

            return;
        }

        if (applied == ConfigStatus.Ok)
        {
            if (!_applier.RebootRequested)
            {
                StartTrial(_clock.MonotonicMs);
            }
        }
        else if (applied == ConfigStatus.Rejected)
        {
            Conclude(CotaStatus.Rejected, ConfigStatus.Ok);
        }
        else if (applied == ConfigStatus.ModuleFailed)
        {
            RollBackTrial(CotaStatus.ModuleFailed);
        }
        else
        {
            _storageError = _store.LastStorageError;
            Conclude(CotaStatus.StoreFailed, applied);
        }
    }

    private void StartTrial(long now)
    {
        _stage = Stage.Trial;
        _trialDeadline = now + _settings.TrialDeadlineMs;
        _confirmDue = false;
        _confirmFailures = 0;

        // Contact after the apply is asked for at once.
        OweGet();
        Log(LogLevel.Info, "config " + OfferIdText() + " on trial: the first contact with the cloud confirms it; offline for "
            + _settings.TrialDeadlineMs.ToString() + " ms rolls it back");
    }

    private void StepTrial(long now)
    {
        if (_confirmDue)
        {
            if (now - _confirmAt >= 0)
            {
                ConfirmTrial();
            }

            return;
        }

        if (now - _trialDeadline >= 0)
        {
            if (_device.IsConnected)
            {
                Log(LogLevel.Info, "config " + OfferIdText() + ": no answer from the cloud, but the connection held through the trial");
                ConfirmTrial();
            }
            else
            {
                RollBackTrial(CotaStatus.DeadlineWithoutContact);
            }
        }
    }

    private void ConfirmTrial()
    {
        ConfigStatus status = _applier.Confirm();
        if (status == ConfigStatus.Ok || status == ConfigStatus.NotOnTrial)
        {
            Conclude(CotaStatus.Ok, ConfigStatus.Ok);
            return;
        }

        // The store could not save it: try again after a wait; the deadline and the boot count still stand behind it.
        _confirmDue = true;
        _confirmAt = _clock.MonotonicMs + _retry.DelayMs(++_confirmFailures);
    }

    // Records the reason, the result, then rolls back: after a cut at any point, the next Start finishes it.
    private void RollBackTrial(CotaStatus reason)
    {
        _stage = Stage.Trial;
        _journal.Stage = OfferStage.RollingBack;
        _journal.Reason = reason;
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Error, "rollback reason not written to flash: " + PlatformNames.Of(saved));
        }

        bool kept = AddResult(reason, ConfigStatus.Ok);
        _applier.RollBack();
        if (!_applier.RebootRequested)
        {
            LetGo(kept, reason, ConfigStatus.Ok);
        }
    }

    // The offer ended: its result goes to flash, then the offer is let go.
    private void Conclude(CotaStatus reason, ConfigStatus storeStatus)
    {
        // Once: a conclusion cut short after its result landed lets the offer go with that result.
        LetGo(_results.Contains(_journal.Sequence) || AddResult(reason, storeStatus), reason, storeStatus);
    }

    // An offer whose result is in flash is let go; otherwise it stays owned and the result is tried again later
    // (after a reboot, the offer record still there makes the next Start conclude it again), so none ends unreported.
    private void LetGo(bool resultKept, CotaStatus reason, ConfigStatus storeStatus)
    {
        if (resultKept)
        {
            ClearOffer();
            return;
        }

        _stage = Stage.ResultOwed;
        _owedReason = reason;
        _owedStoreStatus = storeStatus;
        _owedAt = _clock.MonotonicMs + _settings.BackoffMaxMs;
    }

    private void KeepOwedResult()
    {
        Conclude(_owedReason, _owedStoreStatus);
        if (_stage == Stage.Idle)
        {
            // Offers that came meanwhile were not taken: the cloud's newest word is asked for.
            OweGet();
        }
    }

    private void ClearOffer()
    {
        _stage = Stage.Idle;
        _journal.Stage = OfferStage.None;
        StorageStatus saved = _journal.Save(_storage, _offer);
        if (saved != StorageStatus.Ok)
        {
            Log(LogLevel.Warning, "offer not cleared in flash: " + PlatformNames.Of(saved) + " (the next boot finds its result)");
        }
    }

    // After a boot: the offer the last boot owned, and what the store says became of it.
    private void Resume(ConfigStatus boot)
    {
        uint sequence = _journal.Sequence;
        bool onTrialWithIt = _store.IsOnTrial && ActiveIsOffer();
        bool resulted = _results.Contains(sequence);
        if (_journal.Stage == OfferStage.RollingBack || resulted)
        {
            // A rollback under way, or a result that landed before the offer was let go. A config still on trial with
            // it was being rolled back even when the mark missed flash: a confirm reaches the store before its result,
            // a rollback after it.
            if (onTrialWithIt)
            {
                _applier.RollBack();
            }

            bool kept = resulted || AddResult(_journal.Reason, ConfigStatus.Ok);
            if (!_applier.RebootRequested)
            {
                LetGo(kept, _journal.Reason, ConfigStatus.Ok);
            }

            return;
        }

        if (ActiveIsOffer())
        {
            if (!_store.IsOnTrial)
            {
                // Confirmed before the cut.
                Conclude(CotaStatus.Ok, ConfigStatus.Ok);
            }
            else if (boot == ConfigStatus.ModuleFailed)
            {
                RollBackTrial(CotaStatus.ModuleFailed);
            }
            else
            {
                StartTrial(_clock.MonotonicMs);
            }

            return;
        }

        int n = _offer.CopyConfigId(_id, 0);
        _offer.CopyDigest(_digest, 0);
        if (_store.RejectedConfigIdEquals(_id, 0, n) && _store.RejectedDigestEquals(_digest, 0))
        {
            Conclude(CotaStatus.BootLoopGuard, ConfigStatus.Ok);
            return;
        }

        if (_store.IsOnTrial)
        {
            // Another config on trial: its offer ended with its result, but its rollback never reached the store (a boot
            // that could not save the trial's count ran the last good config). Nothing confirms it any more, and while it
            // is on trial this offer cannot be staged.
            _applier.RollBack();
            if (_applier.RebootRequested)
            {
                return;
            }
        }

        // Not committed yet: the download resumes from what landed in the candidate slot.
        AwaitStart();
        Log(LogLevel.Info, "config " + OfferIdText() + " resumes after the reboot, once connected");
    }

    // The download of the owned offer starts after a random 0..StartJitterMs, so a fleet does not hit the file server at once.
    private int AwaitStart()
    {
        _stage = Stage.Waiting;
        int jitter = _settings.StartJitterMs > 0 ? _random.Next(_settings.StartJitterMs + 1) : 0;
        _startAt = _clock.MonotonicMs + jitter;
        return jitter;
    }

    // A config on trial whose offer record was lost (its write failed): the store names it, so it gets a result too.
    private void Adopt(ConfigStatus boot)
    {
        int n = _store.CopyActiveConfigId(_id, 0);
        _store.CopyActiveDigest(_digest, 0);
        if (n <= 0 || !_offer.Restore(_id, 0, n, _store.ActiveLength, _digest, 0, 0))
        {
            return;
        }

        _journal.Sequence = ++_lastSequence;
        _journal.Stage = OfferStage.Accepted;
        _journal.Save(_storage, _offer);
        Log(LogLevel.Warning, "config " + OfferIdText() + " on trial without an offer record: taken over as offer " + _journal.Sequence.ToString());
        if (boot == ConfigStatus.ModuleFailed)
        {
            RollBackTrial(CotaStatus.ModuleFailed);
        }
        else
        {
            StartTrial(_clock.MonotonicMs);
        }
    }

    private bool ActiveIsOffer()
    {
        int n = _offer.CopyConfigId(_id, 0);
        _offer.CopyDigest(_digest, 0);
        return n > 0 && _store.ActiveConfigIdEquals(_id, 0, n) && _store.ActiveDigestEquals(_digest, 0);
    }

    private string OfferIdText()
    {
        int n = _offer.CopyConfigId(_id, 0);
        return Utf8.GetString(_id, 0, n);
    }
}
