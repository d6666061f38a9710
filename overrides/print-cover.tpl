<div class="ws-print-cover">
  <h1>{{ config.site_name }}</h1>
  <p>{{ config.site_description }}</p>
</div>
