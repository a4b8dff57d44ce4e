// The candle page: one series as a candlestick chart, its history from GET /api/candles and new candles pushed by the
// Server-Sent Events of GET /api/candles/stream. The stream is opened first and the history loaded once it is open, so
// that no candle stored in between is missed (a candle in both is shown once: candles are keyed by ts).
(function () {
  'use strict';

  const HISTORY = 1000;
  const RETRY_MS = 3000;
  const tickerSelect = document.getElementById('ticker');
  const periodSelect = document.getElementById('period');
  const statusLine = document.getElementById('status');
  const message = document.getElementById('message');
  const chart = echarts.init(document.getElementById('chart'));
  window.addEventListener('resize', () => chart.resize());

  let candles = new Map(); // ts -> candle, of the series shown
  let stream = null;
  let lastUpdate = null;
  let connected = false;
  let generation = 0; // a newer selection makes older answers stale

  function params() {
    return new URLSearchParams(window.location.search);
  }

  function show(text) {
    message.hidden = !text;
    message.textContent = text || '';
  }

  function status() {
    const count = candles.size;
    if (!connected) {
      statusLine.dataset.state = 'down';
      statusLine.textContent = 'Disconnected, reconnecting… · ' + count + ' candles';
      return;
    }
    statusLine.dataset.state = 'live';
    statusLine.textContent = 'Live · ' + count + ' candles · last update '
        + (lastUpdate ? lastUpdate.toISOString().substring(11, 19) + ' UTC' : 'none yet');
  }

  function draw() {
    const sorted = Array.from(candles.values()).sort((a, b) => a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);
    chart.setOption({
      animation: false,
      grid: { left: 60, right: 30, top: 20, bottom: 70 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'cross' } },
      xAxis: { type: 'category', data: sorted.map(c => c.ts.substring(0, 16).replace('T', ' ')), boundaryGap: true },
      yAxis: { scale: true },
      dataZoom: [{ type: 'inside', start: 70, end: 100 }, { type: 'slider', start: 70, end: 100 }],
      // ECharts' candlestick value order: open, close, lowest, highest.
      series: [{ name: tickerSelect.value + ' ' + periodSelect.value, type: 'candlestick',
                 data: sorted.map(c => [c.open, c.close, c.low, c.high]),
                 itemStyle: { color: '#26a69a', color0: '#ef5350', borderColor: '#26a69a', borderColor0: '#ef5350' } }]
    });
    if (sorted.length === 0) {
      show('No candles of ' + tickerSelect.value + ' ' + periodSelect.value + ' yet: they appear here once stored.');
    } else {
      show('');
    }
    status();
  }

  function add(candle) {
    candles.set(candle.ts, candle);
    lastUpdate = new Date();
  }

  function loadHistory(mine) {
    const url = '/api/candles?ticker=' + encodeURIComponent(tickerSelect.value)
        + '&period=' + encodeURIComponent(periodSelect.value) + '&limit=' + HISTORY;
    fetch(url).then(answer => {
      if (answer.status === 404) {
        return [];
      }
      if (!answer.ok) {
        throw new Error('HTTP ' + answer.status);
      }
      return answer.json();
    }).then(history => {
      if (mine !== generation) {
        return;
      }
      history.forEach(c => candles.set(c.ts, c));
      if (history.length > 0 && !lastUpdate) {
        lastUpdate = new Date();
      }
      draw();
    }).catch(error => {
      if (mine === generation) {
        show('The query app does not answer (' + error.message + '); retrying…');
        setTimeout(() => { if (mine === generation) loadHistory(mine); }, RETRY_MS);
      }
    });
  }

  function follow() {
    generation++;
    const mine = generation;
    if (stream) {
      stream.close();
    }
    candles = new Map();
    lastUpdate = null;
    connected = false;
    draw();
    const query = '?ticker=' + encodeURIComponent(tickerSelect.value) + '&period=' + encodeURIComponent(periodSelect.value);
    window.history.replaceState(null, '', query);
    stream = new EventSource('/api/candles/stream' + query);
    // The browser reconnects by itself; each (re)connection reloads the history to fill what was missed meanwhile.
    stream.onopen = () => {
      connected = true;
      status();
      loadHistory(mine);
    };
    stream.onerror = () => {
      connected = false;
      status();
      // Refused answers (not a dropped connection) close an EventSource for good: open a new one after a pause.
      if (stream.readyState === EventSource.CLOSED) {
        setTimeout(() => { if (mine === generation) follow(); }, RETRY_MS);
      }
    };
    stream.addEventListener('candle', event => {
      if (mine !== generation) {
        return;
      }
      add(JSON.parse(event.data));
      draw();
    });
  }

  function loadTickers() {
    fetch('/api/tickers').then(answer => {
      if (!answer.ok) {
        throw new Error('HTTP ' + answer.status);
      }
      return answer.json();
    }).then(tickers => {
      if (tickers.length === 0) {
        show('No candles are stored yet; waiting for the first ones…');
        setTimeout(loadTickers, RETRY_MS);
        return;
      }
      const wanted = params().get('ticker');
      tickerSelect.innerHTML = '';
      tickers.forEach(t => tickerSelect.add(new Option(t.ticker, t.ticker)));
      if (wanted && !tickers.some(t => t.ticker === wanted)) {
        tickerSelect.add(new Option(wanted, wanted));
      }
      tickerSelect.value = wanted || (tickers.some(t => t.ticker === 'SBER') ? 'SBER' : tickers[0].ticker);
      const period = params().get('period');
      if (period && ['1m', '2m', '10m'].includes(period)) {
        periodSelect.value = period;
      }
      follow();
    }).catch(error => {
      statusLine.dataset.state = 'down';
      statusLine.textContent = 'Disconnected';
      show('The query app does not answer (' + error.message + '); retrying…');
      setTimeout(loadTickers, RETRY_MS);
    });
  }

  tickerSelect.addEventListener('change', follow);
  periodSelect.addEventListener('change', follow);
  setInterval(status, 1000);
  loadTickers();
})();
